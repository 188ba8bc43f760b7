package io.rewardstream.demo;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo's stand-in for an annotation tool: publishes PreferenceEvents at a steady rate, either synthetic
 * judgments that follow {@link SyntheticPreferences}' hidden rule (with label noise) or a replay of a pair file.
 *
 * <p>One event in a hundred is malformed on purpose (a ranking that repeats an index) so that the dead-letter
 * path shows on the console. After {@code flip()} every judgment is reversed, as if the annotators' guidelines
 * had changed, which the trainer's drift detector should notice.
 */
final class Annotator implements AutoCloseable {

    static final int INVALID_EVERY = 100;
    private static final String[] ANNOTATORS = {"annotator-ada", "annotator-bo", "annotator-cy"};

    private final Producer<String, PreferenceEvent> producer;
    private final String topic;
    private final PairSource pairs;
    private final String source;
    private final Consumer<String> events;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final AtomicBoolean flipped = new AtomicBoolean();
    private final AtomicBoolean exhausted = new AtomicBoolean();
    private final Ticker ticker;

    /** Where pairs come from; null when there are no more. */
    interface PairSource {
        PreferencePair next();

        static PairSource synthetic(SyntheticPreferences generator) {
            return generator::next;
        }

        static PairSource replay(List<PreferencePair> pairs) {
            AtomicLong position = new AtomicLong();
            return () -> {
                long i = position.getAndIncrement();
                return i < pairs.size() ? pairs.get((int) i) : null;
            };
        }
    }

    Annotator(Producer<String, PreferenceEvent> producer, String topic, PairSource pairs, String source,
              double perSecond, Consumer<String> events) {
        this.producer = producer;
        this.topic = topic;
        this.pairs = pairs;
        this.source = source;
        this.events = events;
        this.ticker = new Ticker("demo-annotator", perSecond, this::send);
    }

    private void send(int count) {
        for (int i = 0; i < count && !exhausted.get(); i++) {
            PreferencePair pair = pairs.next();
            if (pair == null) {
                exhausted.set(true);
                events.accept("the annotator replayed all " + sent.get() + " events of " + source
                        + "; no more preferences will come");
                break;
            }
            long n = sent.incrementAndGet();
            String id = "demo-" + n;
            boolean reversed = flipped.get();
            List<String> responses = reversed ? List.of(pair.rejected(), pair.chosen())
                    : List.of(pair.chosen(), pair.rejected());
            List<Integer> ranking = List.of(0, 1);
            if (n % INVALID_EVERY == 0) {
                ranking = List.of(0, 0);
                invalid.incrementAndGet();
            }
            producer.send(new ProducerRecord<>(topic, id, PreferenceEvent.newBuilder().setEventId(id)
                    .setPrompt(pair.prompt()).setResponses(responses).setRanking(ranking)
                    .setAnnotatorId(ANNOTATORS[(int) (n % ANNOTATORS.length)]).setSource(source)
                    .setEventTime(Instant.now()).build()));
        }
        producer.flush();
    }

    /** Reverses every judgment from now on. */
    void flip() {
        if (flipped.compareAndSet(false, true)) {
            events.accept("the annotators now prefer the opposite answer (--flip-after): watch prequential"
                    + " accuracy fall, a drift alert, and a retrained model");
        }
    }

    long sent() {
        return sent.get();
    }

    long invalid() {
        return invalid.get();
    }

    boolean flipped() {
        return flipped.get();
    }

    @Override
    public void close() {
        ticker.close();
    }
}
