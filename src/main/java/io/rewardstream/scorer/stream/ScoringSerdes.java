package io.rewardstream.scorer.stream;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the scoring topology, injected so each test can bring its own registry scope. */
public record ScoringSerdes(Serde<RolloutResponse> responses, Serde<ScoredResponse> rewards,
                            Serde<DeadLetter> deadLetters) {

    /** Serdes on one registry client ({@code mock://scope} selects an in-memory registry). */
    public static ScoringSerdes forRegistry(String registryUrl) {
        return of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, registryUrl)));
    }

    public static ScoringSerdes of(SchemaRegistryClient client) {
        AvroSerdeConfig config = AvroSerdeConfig.defaults();
        return new ScoringSerdes(AvroSerde.specific(RolloutResponse.class, client, config),
                AvroSerde.specific(ScoredResponse.class, client, config),
                AvroSerde.specific(DeadLetter.class, client, config));
    }
}
