package io.rewardstream.trainer.stream;

import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SubjectNameStrategy;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the trainer's topics, all sharing one registry client (injected, never static). */
public record TrainerSerdes(Serde<PreferenceEvent> preferences, Serde<ModelRelease> releases,
                            Serde<SpecificRecord> metrics, Serde<DeadLetter> deadLetters,
                            Serde<ArtifactChunk> artifacts) {

    public static TrainerSerdes of(SchemaRegistryClient registry, AvroSerdeConfig config) {
        return new TrainerSerdes(AvroSerde.specific(PreferenceEvent.class, registry, config),
                AvroSerde.specific(ModelRelease.class, registry, config),
                AvroSerde.specificByWriterName(registry, config.withValueStrategy(SubjectNameStrategy.TOPIC_RECORD_NAME)),
                AvroSerde.specific(DeadLetter.class, registry, config),
                AvroSerde.specific(ArtifactChunk.class, registry, config));
    }
}
