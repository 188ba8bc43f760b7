package io.rewardstream.scorer.stream;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.scorer.serving.BatchScorer;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Makes a {@link MicroBatchProcessor} per task and owns the builder of the store its waiting responses live in. */
final class MicroBatchSupplier implements ProcessorSupplier<String, RolloutResponse, String, Scored> {

    private final Batching batching;
    private final BatchScorer scorer;
    private final Serde<RolloutResponse> responses;

    MicroBatchSupplier(Batching batching, BatchScorer scorer, Serde<RolloutResponse> responses) {
        this.batching = batching;
        this.scorer = scorer;
        this.responses = responses;
    }

    @Override
    public Processor<String, RolloutResponse, String, Scored> get() {
        return new MicroBatchProcessor(batching, scorer, responses.serializer(), batching.inFlight() == 0
                ? () -> Runnable::run : ModelLane::ofCurrentThread);
    }

    /**
     * The waiting store, cached: a response that arrives and is scored between two commits (every response of a
     * busy scorer) then reaches the changelog only as its tombstone, and RocksDB only as a delete, instead of a
     * full copy followed by a tombstone. Responses still waiting at a commit are flushed, and so logged, before the
     * transaction commits, as without the cache.
     */
    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(ScoringTopology.WAITING_STORE), Serdes.Bytes(), responses)
                .withCachingEnabled());
    }
}
