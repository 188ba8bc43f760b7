package io.rewardstream.demo;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's stand-in for RLHF rollout workers: publishes RolloutResponses at a steady rate. Each carries, in
 * its metadata under {@link #KIND}, what the hidden rule thinks of it ({@code good} or {@code bad}), so the demo
 * can show the rewards the scorer gives each kind.
 */
final class RolloutWorker implements AutoCloseable {

    static final String KIND = "demo.kind";

    private final Producer<String, RolloutResponse> producer;
    private final String topic;
    private final Source rollouts;
    private final AtomicLong sent = new AtomicLong();
    private final Ticker ticker;

    /** A prompt, a response and whether the response is the good kind. */
    interface Source {
        SyntheticPreferences.Rollout next();

        static Source synthetic(SyntheticPreferences generator) {
            return generator::rollout;
        }

        /** Responses taken from pairs: the chosen one counts as good, the rejected one as bad. */
        static Source fromPairs(List<PreferencePair> pairs, long seed) {
            Random random = new Random(seed);
            return () -> {
                PreferencePair p = pairs.get(random.nextInt(pairs.size()));
                boolean good = random.nextBoolean();
                return new SyntheticPreferences.Rollout(p.prompt(), good ? p.chosen() : p.rejected(), good);
            };
        }
    }

    RolloutWorker(Producer<String, RolloutResponse> producer, String topic, Source rollouts, double perSecond) {
        this.producer = producer;
        this.topic = topic;
        this.rollouts = rollouts;
        this.ticker = new Ticker("demo-rollout-worker", perSecond, this::send);
    }

    private void send(int count) {
        for (int i = 0; i < count; i++) {
            SyntheticPreferences.Rollout r = rollouts.next();
            String id = "rollout-" + sent.incrementAndGet();
            producer.send(new ProducerRecord<>(topic, id, RolloutResponse.newBuilder().setResponseId(id)
                    .setPrompt(r.prompt()).setResponse(r.response()).setPolicyVersion("demo-policy")
                    .setMetadata(Map.of(KIND, r.helpful() ? "good" : "bad")).setCreatedAt(Instant.now()).build()));
        }
        producer.flush();
    }

    long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        ticker.close();
    }
}
