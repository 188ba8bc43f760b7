package io.rewardstream.scoring;

import io.rewardstream.avro.RolloutResponse;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Makes a {@link MicroBatchProcessor} per task and owns the builder of the store its waiting responses live in. */
final class MicroBatchSupplier implements FixedKeyProcessorSupplier<String, RolloutResponse, SpecificRecord> {

    private final ScorerSettings settings;
    private final BatchScorer scorer;
    private final Serde<RolloutResponse> responses;

    MicroBatchSupplier(ScorerSettings settings, BatchScorer scorer, Serde<RolloutResponse> responses) {
        this.settings = settings;
        this.scorer = scorer;
        this.responses = responses;
    }

    @Override
    public FixedKeyProcessor<String, RolloutResponse, SpecificRecord> get() {
        return new MicroBatchProcessor(settings, scorer, responses.serializer());
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(ScoringTopology.WAITING_STORE), Serdes.Bytes(), responses));
    }
}
