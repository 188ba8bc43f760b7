package io.rewardstream.serde;

import io.rewardstream.registry.RegisteredSchema;
import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated SpecificRecords or GenericRecords in the Confluent wire format. The schema id of each
 * (topic, schema) pair is resolved once through the registry and then served from memory, as is the
 * DatumWriter of each schema, so the warm path is a map lookup plus plain Avro encoding.
 *
 * <p>Thread-safe. Build it with a client and config (the injected way), or let Kafka build it by class
 * name and call {@link #configure}, which creates its own client from the schema.registry.* settings.
 */
public final class AvroSerializer<T> implements Serializer<T> {

    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;
    private boolean ownsClient;
    private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private final ThreadLocal<EncodeBuffer> buffers = ThreadLocal.withInitial(EncodeBuffer::new);

    private static final class EncodeBuffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        private BinaryEncoder encoder;
    }

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        this.client = client;
        this.config = config;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client == null) {
            this.client = SchemaRegistryClients.create(configs);
            this.ownsClient = true;
        }
        if (config == null) {
            this.config = AvroSerdeConfig.from(configs);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("Cannot serialize " + data.getClass().getName() + " for topic '" + topic
                    + "': only Avro records (SpecificRecord, GenericRecord) are supported");
        }
        Schema schema = container.getSchema();
        int id = schemaId(topic, schema);
        EncodeBuffer buffer = buffers.get();
        try {
            buffer.out.reset();
            WireFormat.writeHeader(buffer.out, id);
            buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
            writerFor(container).write(data, buffer.encoder);
            buffer.encoder.flush();
            return buffer.out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize record for topic '" + topic + "' with schema id "
                    + id + ": " + e, e);
        }
    }

    private int schemaId(String topic, Schema schema) {
        Map<Schema, Integer> ids = idsByTopic.get(topic);
        Integer cached = ids == null ? null : ids.get(schema);
        if (cached != null) {
            return cached;
        }
        int id = resolveId(topic, schema);
        idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).putIfAbsent(schema, id);
        return id;
    }

    private int resolveId(String topic, Schema schema) {
        String subject;
        try {
            subject = config.strategy(isKey).subject(topic, isKey, schema);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Cannot serialize record for topic '" + topic + "': " + e.getMessage(), e);
        }
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema latest = client.latest(subject);
                if (!latest.schema().equals(schema)) {
                    throw new SerializationException("Record schema " + schema.getFullName() + " for topic '" + topic
                            + "' differs from the latest version " + latest.version() + " (id " + latest.id()
                            + ") of subject " + subject + ", and use.latest.version is set");
                }
                return latest.id();
            }
            return config.autoRegister() ? client.register(subject, schema) : client.lookup(subject, schema).id();
        } catch (RegistryUnavailableException e) {
            throw e;
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot serialize record for topic '" + topic + "': subject " + subject
                    + " refused schema " + schema.getFullName() + ": " + e.getMessage(), e);
        }
    }

    /** Generated classes are written with their own model (it knows their logical-type conversions). */
    private DatumWriter<Object> writerFor(GenericContainer data) {
        Schema schema = data.getSchema();
        boolean specific = data instanceof SpecificRecord;
        Map<Schema, DatumWriter<Object>> writers = specific ? specificWriters : genericWriters;
        DatumWriter<Object> cached = writers.get(schema);
        if (cached != null) {
            return cached;
        }
        return writers.computeIfAbsent(schema, s -> specific
                ? new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass()))
                : new GenericDatumWriter<>(s, GenericData.get()));
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
