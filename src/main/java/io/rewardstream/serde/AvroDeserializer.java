package io.rewardstream.serde;

import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a generated class, into the generated class the writer's schema
 * names, or into GenericRecord. Every fault of the bytes (short frame, wrong magic byte, unknown id,
 * unresolvable schema, payload that does not decode or has trailing bytes) raises a
 * {@link SerializationException} naming the topic, the schema id and the fault, so a dead-letter handler
 * can record it. An unreachable registry raises
 * {@link io.rewardstream.registry.RegistryUnavailableException} instead: that is not the record's fault.
 *
 * <p>Thread-safe.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    private final Class<T> targetType;
    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private ReaderCache readers;
    private boolean ownsClient;
    private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

    static {
        TrustedAvroClasses.install();
    }

    /** For Kafka's reflective construction: GenericRecord, or generated classes with specific.avro.reader. */
    public AvroDeserializer() {
        this.targetType = null;
    }

    /** @param targetType the generated class to decode into, or null for GenericRecord / specific.avro.reader */
    public AvroDeserializer(SchemaRegistryClient client, AvroSerdeConfig config, Class<T> targetType) {
        this.client = client;
        this.config = config;
        this.targetType = targetType;
        this.readers = new ReaderCache(client, targetType, config.specificReader());
        if (targetType != null) {
            TrustedAvroClasses.trust(targetType);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (readers != null) {
            return;
        }
        this.client = SchemaRegistryClients.create(configs);
        this.ownsClient = true;
        this.config = AvroSerdeConfig.from(configs);
        this.readers = new ReaderCache(client, targetType, config.specificReader());
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (readers == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(topic, data);
        var reader = readers.forId(topic, id);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, decoders.get());
        decoders.set(decoder);
        Object value;
        boolean consumedAll;
        try {
            value = reader.read(null, decoder);
            consumedAll = decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw ReaderCache.fault(topic, id, "payload of " + (data.length - WireFormat.HEADER_SIZE)
                    + " bytes does not decode with the writer schema: " + e, e);
        }
        if (!consumedAll) {
            throw ReaderCache.fault(topic, id, "trailing bytes after the record (garbage or wrong schema id)", null);
        }
        return (T) value;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
