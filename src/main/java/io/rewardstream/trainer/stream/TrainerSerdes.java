package io.rewardstream.trainer.stream;

import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SubjectNameStrategy;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterMeter;
import io.rewardstream.streams.RecordMeters;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the trainer's topics, all sharing one registry client (injected, never static). */
public record TrainerSerdes(Serde<PreferenceEvent> preferences, Serde<ModelRelease> releases,
                            Serde<SpecificRecord> metrics, Serde<DeadLetter> deadLetters,
                            Serde<ArtifactChunk> artifacts) {

    private static final String ROLE = "trainer";

    /**
     * These serdes counting the trainer's records (preferences in; releases, metrics and artifacts out) and its dead
     * letters in {@code meters}.
     */
    public TrainerSerdes metered(MeterRegistry meters, Topics topics) {
        return new TrainerSerdes(RecordMeters.counted(preferences, meters, ROLE, Set.of(topics.preferences())),
                RecordMeters.counted(releases, meters, ROLE, Set.of(topics.models())),
                RecordMeters.counted(metrics, meters, ROLE, Set.of(topics.metrics())),
                DeadLetterMeter.counted(deadLetters, meters, ROLE),
                RecordMeters.counted(artifacts, meters, ROLE, Set.of(topics.artifacts())));
    }

    public static TrainerSerdes of(SchemaRegistryClient registry, AvroSerdeConfig config) {
        return new TrainerSerdes(AvroSerde.specific(PreferenceEvent.class, registry, config),
                AvroSerde.specific(ModelRelease.class, registry, config),
                AvroSerde.specificByWriterName(registry, config.withValueStrategy(SubjectNameStrategy.TOPIC_RECORD_NAME)),
                AvroSerde.specific(DeadLetter.class, registry, config),
                AvroSerde.specific(ArtifactChunk.class, registry, config));
    }
}
