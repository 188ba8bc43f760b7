package io.rewardstream.scorer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.model.TextRules;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.Test;

/** When the micro-batcher asks Kafka Streams to commit: rewards of a lingering batch become visible at once. */
class MicroBatchCommitTest {

    private final ModelHolder holder = new ModelHolder();
    private final ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://commit-" + UUID.randomUUID());
    private final MockProcessorContext<String, Scored> context = new MockProcessorContext<>();
    private final MicroBatchProcessor processor = new MicroBatchProcessor(new Batching(4, Duration.ofMillis(20),
            "scorer", new TextRules(1000, "input.max-text-chars")),
            new BatchScorer(holder, new ScoringMetrics(new SimpleMeterRegistry(), holder)),
            serdes.responses().serializer());

    MicroBatchCommitTest() {
        holder.install(new FakeModel(1));
        TimestampedKeyValueStore<org.apache.kafka.common.utils.Bytes, RolloutResponse> store =
                Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(ScoringTopology.WAITING_STORE),
                        Serdes.Bytes(), serdes.responses()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        context.setCurrentSystemTimeMs(1_000);
        processor.init(context);
    }

    private void send(String id) {
        processor.process(new Record<>(id, RolloutResponse.newBuilder().setResponseId(id).setPrompt("p")
                .setResponse("response " + id).setCreatedAt(Instant.EPOCH).build(), 0L));
    }

    @Test
    void shouldAskForACommitRightAfterScoringABatchThatLingeredButNotAfterAFullOne() {
        // Given a full batch, scored as it fills
        for (int i = 0; i < 4; i++) {
            send("full-" + i);
        }
        assertThat(context.forwarded()).hasSize(4);
        assertThat(context.committed()).as("a busy scorer commits on its interval").isFalse();

        // When one response waits alone past the linger and the wall-clock punctuator fires
        send("alone");
        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + 25);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());

        // Then its reward is forwarded and a commit is asked for, so read_committed readers see it now
        assertThat(context.forwarded()).hasSize(5);
        assertThat(context.committed()).isTrue();
    }
}
