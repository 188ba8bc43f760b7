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
import java.util.Set;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterMeter;
import io.rewardstream.streams.RecordMeters;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the scoring topology, injected so each test can bring its own registry scope. */
public record ScoringSerdes(Serde<RolloutResponse> responses, Serde<ScoredResponse> rewards,
                            Serde<DeadLetter> deadLetters) {

    private static final String ROLE = "scorer";

    /** Serdes on one registry client ({@code mock://scope} selects an in-memory registry). */
    public static ScoringSerdes forRegistry(String registryUrl) {
        return of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, registryUrl)));
    }

    /**
     * These serdes counting the scorer's records (responses in, rewards out) and its dead letters in
     * {@code registry}.
     */
    public ScoringSerdes metered(MeterRegistry registry, Topics topics) {
        return new ScoringSerdes(RecordMeters.counted(responses, registry, ROLE, Set.of(topics.responses())),
                RecordMeters.counted(rewards, registry, ROLE, Set.of(topics.rewards())),
                DeadLetterMeter.counted(deadLetters, registry, ROLE));
    }

    public static ScoringSerdes of(SchemaRegistryClient client) {
        AvroSerdeConfig config = AvroSerdeConfig.defaults();
        return new ScoringSerdes(AvroSerde.specific(RolloutResponse.class, client, config),
                AvroSerde.specific(ScoredResponse.class, client, config),
                AvroSerde.specific(DeadLetter.class, client, config));
    }
}
