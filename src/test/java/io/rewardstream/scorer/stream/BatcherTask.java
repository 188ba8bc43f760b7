package io.rewardstream.scorer.stream;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.model.TextRules;
import io.rewardstream.scorer.serving.BatchScorer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * One partition's micro-batcher on a {@link MockProcessorContext} with an in-memory waiting store, driven by the
 * test's thread as a stream thread drives its tasks: records, wall-clock punctuations, close.
 */
final class BatcherTask {

    static final long LINGER_MS = 20;

    final MockProcessorContext<String, Scored> context = new MockProcessorContext<>();
    final TimestampedKeyValueStore<Bytes, RolloutResponse> store;
    final MicroBatchProcessor processor;
    private boolean closed;

    /**
     * A task started at wall-clock {@code startMs} on a new store, scoring batches of {@code batchSize} on
     * {@code lane} with at most {@code inFlight} of them started and not yet forwarded (0: on the caller's thread).
     */
    static BatcherTask start(BatchScorer scorer, ScoringSerdes serdes, int batchSize, int inFlight, Executor lane,
                             long startMs) {
        TimestampedKeyValueStore<Bytes, RolloutResponse> store = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ScoringTopology.WAITING_STORE), Serdes.Bytes(), serdes.responses())
                .withLoggingDisabled().build();
        return new BatcherTask(scorer, serdes, batchSize, inFlight, lane, startMs, store, true);
    }

    /** A task started on what {@code previous} left in its store, as after a restart or a rebalance. */
    static BatcherTask restart(BatcherTask previous, BatchScorer scorer, ScoringSerdes serdes, int batchSize,
                               Executor lane, long startMs) {
        return new BatcherTask(scorer, serdes, batchSize, 1, lane, startMs, previous.store, false);
    }

    private BatcherTask(BatchScorer scorer, ScoringSerdes serdes, int batchSize, int inFlight, Executor lane,
                        long startMs, TimestampedKeyValueStore<Bytes, RolloutResponse> store, boolean initStore) {
        this.store = store;
        if (initStore) {
            store.init(context.getStateStoreContext(), store);
        }
        context.addStateStore(store);
        context.setCurrentSystemTimeMs(startMs);
        processor = new MicroBatchProcessor(new Batching(batchSize, Duration.ofMillis(LINGER_MS), inFlight, "scorer",
                new TextRules(1000, "input.max-text-chars")), scorer, serdes.responses().serializer(), () -> lane);
        processor.init(context);
    }

    void send(String id, long atMs) {
        context.setCurrentSystemTimeMs(atMs);
        processor.process(new Record<>(id, RolloutResponse.newBuilder().setResponseId(id).setPrompt("p")
                .setResponse("response " + id).setCreatedAt(Instant.EPOCH).build(), atMs));
    }

    /** Runs the wall-clock punctuator at {@code atMs}, as the stream thread does when it falls due. */
    void punctuate(long atMs) {
        context.setCurrentSystemTimeMs(atMs);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(atMs);
    }

    /** The keys of the rewards forwarded so far, in order. */
    List<String> scored() {
        return context.forwarded().stream().map(f -> (String) f.record().key()).toList();
    }

    /** Responses in the waiting store. */
    long stored() {
        return store.approximateNumEntries();
    }

    void close() {
        if (!closed) {
            processor.close();
            closed = true;
        }
    }
}
