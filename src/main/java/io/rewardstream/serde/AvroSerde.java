package io.rewardstream.serde;

import io.rewardstream.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Pairs an {@link AvroSerializer} with an {@link AvroDeserializer} that share one registry client. */
public final class AvroSerde<T> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A value serde for one generated class. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> type, SchemaRegistryClient client, AvroSerdeConfig config) {
        return new AvroSerde<>(new AvroSerializer<>(client, config, false),
                new AvroDeserializer<>(client, config, type));
    }

    /**
     * A value serde for a topic that carries several generated classes (each decoded into the class its
     * writer's schema names), for example rlhf.reward-metrics with TopicRecordNameStrategy.
     */
    public static AvroSerde<SpecificRecord> specificByWriterName(SchemaRegistryClient client, AvroSerdeConfig config) {
        AvroSerdeConfig specific = config.withSpecificReader(true);
        return new AvroSerde<>(new AvroSerializer<>(client, specific, false),
                new AvroDeserializer<>(client, specific, null));
    }

    /** A value serde for GenericRecord, decoding with the writer's schema. */
    public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client, AvroSerdeConfig config) {
        AvroSerdeConfig generic = config.withSpecificReader(false);
        return new AvroSerde<>(new AvroSerializer<>(client, generic, false),
                new AvroDeserializer<>(client, generic, null));
    }

    /** Only records whether this serde handles keys; the client and settings were injected. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
