package io.rewardstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.AlertSeverity;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.bench.ScoredResponseSamples;
import io.rewardstream.registry.CachingSchemaRegistryClient;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.registry.SubjectNameStrategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "rlhf.rewards";

    private final String scope = "serde-test-" + UUID.randomUUID();
    private final CachingSchemaRegistryClient client = SchemaRegistryClients.create(
            Map.of(RegistryClientConfig.URL, "mock://" + scope));

    @AfterEach
    void dropScope() {
        MockRegistryScopes.drop(scope);
    }

    @Test
    void shouldRoundTripGeneratedRecordUnderTopicNameSubject() {
        // Given
        AvroSerde<ScoredResponse> serde = AvroSerde.specific(ScoredResponse.class, client, AvroSerdeConfig.defaults());
        ScoredResponse record = ScoredResponseSamples.generate(1, 3).get(0);

        // When
        byte[] bytes = serde.serializer().serialize(TOPIC, record);
        ScoredResponse decoded = serde.deserializer().deserialize(TOPIC, bytes);

        // Then
        assertThat(decoded).isEqualTo(record);
        assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(MockRegistryScopes.scope(scope).latest(TOPIC + "-value").id()).isEqualTo(id);
    }

    @Test
    void shouldPassNullThroughBothWays() {
        // Given
        AvroSerde<ScoredResponse> serde = AvroSerde.specific(ScoredResponse.class, client, AvroSerdeConfig.defaults());

        // When / Then
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldRoundTripGenericRecordWithWriterSchema() {
        // Given
        Schema schema = SchemaBuilder.record("Probe").namespace("test").fields()
                .requiredString("name").optionalDouble("score").endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("name", "alpha");
        record.put("score", 0.5);
        AvroSerde<GenericRecord> serde = AvroSerde.generic(client, AvroSerdeConfig.defaults());

        // When
        GenericRecord decoded = serde.deserializer().deserialize("probes", serde.serializer().serialize("probes", record));

        // Then
        assertThat(decoded.getSchema()).isEqualTo(schema);
        assertThat(decoded.get("name").toString()).isEqualTo("alpha");
        assertThat(decoded.get("score")).isEqualTo(0.5);
    }

    @Test
    void shouldDecodeSeveralRecordTypesOnOneTopicWithTopicRecordSubjects() {
        // Given
        AvroSerdeConfig config = AvroSerdeConfig.defaults().withValueStrategy(SubjectNameStrategy.TOPIC_RECORD_NAME);
        AvroSerde<SpecificRecord> serde = AvroSerde.specificByWriterName(client, config);
        AccuracyReport report = AccuracyReport.newBuilder().setModelName("m").setModelVersion(3)
                .setKind(AccuracyKind.PREQUENTIAL).setWindowStart(Instant.ofEpochMilli(0))
                .setWindowEnd(Instant.ofEpochMilli(60_000)).setPairs(10).setCorrect(7).setAccuracy(0.7)
                .setReportedAt(Instant.ofEpochMilli(60_001)).build();
        DriftAlert alert = DriftAlert.newBuilder().setModelName("m").setModelVersion(3).setDetector("page-hinkley")
                .setMetric("prequential_accuracy").setBaseline(0.8).setCurrent(0.6)
                .setSeverity(AlertSeverity.WARNING).setMessage("accuracy fell")
                .setDetectedAt(Instant.ofEpochMilli(61_000)).build();

        // When
        SpecificRecord first = serde.deserializer().deserialize("rlhf.reward-metrics",
                serde.serializer().serialize("rlhf.reward-metrics", report));
        SpecificRecord second = serde.deserializer().deserialize("rlhf.reward-metrics",
                serde.serializer().serialize("rlhf.reward-metrics", alert));

        // Then
        assertThat(first).isEqualTo(report);
        assertThat(second).isEqualTo(alert);
        assertThat(MockRegistryScopes.scope(scope).latest("rlhf.reward-metrics-io.rewardstream.avro.AccuracyReport"))
                .isNotNull();
        assertThat(MockRegistryScopes.scope(scope).latest("rlhf.reward-metrics-io.rewardstream.avro.DriftAlert"))
                .isNotNull();
    }

    @Test
    void shouldRegisterUnderRecordNameSubjectWhenConfigured() {
        // Given
        AvroSerde<ScoredResponse> serde = AvroSerde.specific(ScoredResponse.class, client,
                AvroSerdeConfig.defaults().withValueStrategy(SubjectNameStrategy.RECORD_NAME));

        // When
        serde.serializer().serialize(TOPIC, ScoredResponseSamples.generate(1, 1).get(0));

        // Then
        assertThat(MockRegistryScopes.scope(scope).latest("io.rewardstream.avro.ScoredResponse").version())
                .isEqualTo(1);
    }

    @Test
    void shouldRefuseUnregisteredSchemaWhenAutoRegisterIsOff() {
        // Given
        AvroSerializer<ScoredResponse> serializer =
                new AvroSerializer<>(client, AvroSerdeConfig.defaults().withAutoRegister(false), false);
        ScoredResponse record = ScoredResponseSamples.generate(1, 1).get(0);

        // When / Then
        assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("40401");
    }

    @Test
    void shouldUseRegisteredIdWhenAutoRegisterIsOff() {
        // Given
        int id = MockRegistryScopes.scope(scope).register(TOPIC + "-value", ScoredResponse.getClassSchema());
        AvroSerializer<ScoredResponse> serializer =
                new AvroSerializer<>(client, AvroSerdeConfig.defaults().withAutoRegister(false), false);

        // When
        byte[] bytes = serializer.serialize(TOPIC, ScoredResponseSamples.generate(1, 1).get(0));

        // Then
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void shouldWriteWithLatestVersionIdWhenConfigured() {
        // Given
        int id = MockRegistryScopes.scope(scope).register(TOPIC + "-value", ScoredResponse.getClassSchema());
        AvroSerializer<ScoredResponse> serializer = new AvroSerializer<>(client,
                AvroSerdeConfig.defaults().withAutoRegister(false).withUseLatestVersion(true), false);

        // When
        byte[] bytes = serializer.serialize(TOPIC, ScoredResponseSamples.generate(1, 1).get(0));

        // Then
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void shouldResolveOlderWriterSchemaToGeneratedClass() {
        // Given an older producer that did not send metadata (the field has a default)
        Schema older = withoutField(ScoredResponse.getClassSchema(), "metadata");
        int id = MockRegistryScopes.scope(scope).register("old-writer", older);
        GenericRecord oldRecord = new GenericData.Record(older);
        ScoredResponse current = ScoredResponseSamples.generate(1, 5).get(0);
        for (Schema.Field field : older.getFields()) {
            Object value = current.get(field.name());
            oldRecord.put(field.name(), value instanceof Instant instant ? instant.toEpochMilli() : value);
        }
        byte[] frame = confluentFrame(id, older, oldRecord);
        AvroDeserializer<ScoredResponse> deserializer =
                new AvroDeserializer<>(client, AvroSerdeConfig.defaults(), ScoredResponse.class);

        // When
        ScoredResponse decoded = deserializer.deserialize(TOPIC, frame);

        // Then
        assertThat(decoded.getMetadata()).isEmpty();
        assertThat(decoded.getResponse()).isEqualTo(current.getResponse());
        assertThat(decoded.getCreatedAt()).isEqualTo(current.getCreatedAt());
    }

    @Test
    void shouldDecodeFrameBuiltByHandTheConfluentWay() throws Exception {
        // Given
        ScoredResponse record = ScoredResponseSamples.generate(1, 9).get(0);
        int id = MockRegistryScopes.scope(scope).register(TOPIC + "-value", ScoredResponse.getClassSchema());
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(avro, null);
        new SpecificDatumWriter<ScoredResponse>(ScoredResponse.class).write(record, encoder);
        encoder.flush();
        ByteBuffer frame = ByteBuffer.allocate(5 + avro.size()).put((byte) 0).putInt(id).put(avro.toByteArray());

        // When
        ScoredResponse decoded = new AvroDeserializer<>(client, AvroSerdeConfig.defaults(), ScoredResponse.class)
                .deserialize(TOPIC, frame.array());

        // Then
        assertThat(decoded).isEqualTo(record);
    }

    @Test
    void shouldWriteBytesThatPlainAvroDecodesWithTheSchemaFetchedById() throws Exception {
        // Given
        AvroSerializer<ScoredResponse> serializer = new AvroSerializer<>(client, AvroSerdeConfig.defaults(), false);
        ScoredResponse record = ScoredResponseSamples.generate(1, 11).get(0);

        // When
        byte[] bytes = serializer.serialize(TOPIC, record);
        Schema writer = MockRegistryScopes.scope(scope).schemaById(ByteBuffer.wrap(bytes, 1, 4).getInt());
        GenericRecord plain = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        // Then
        assertThat(plain.get("response").toString()).isEqualTo(record.getResponse());
        assertThat(plain.get("created_at")).isEqualTo(record.getCreatedAt().toEpochMilli());
        assertThat(plain.get("reward")).isEqualTo(record.getReward());
    }

    @Test
    void shouldConfigureFromKafkaPropertiesLikeReflectiveClients() {
        // Given serializer and deserializer built the way Kafka builds them from class names
        Map<String, Object> props = Map.of(RegistryClientConfig.URL, "mock://" + scope,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, "true");
        AvroSerializer<ScoredResponse> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
        deserializer.configure(props, false);
        ScoredResponse record = ScoredResponseSamples.generate(1, 2).get(0);

        // When
        Object decoded = deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, record));

        // Then
        assertThat(decoded).isEqualTo(record);
        serializer.close();
        deserializer.close();
    }

    @Test
    void shouldShareSchemasBetweenClientsOfTheSameScopeOnly() {
        // Given
        AvroSerializer<ScoredResponse> producer = new AvroSerializer<>(client, AvroSerdeConfig.defaults(), false);
        byte[] bytes = producer.serialize(TOPIC, ScoredResponseSamples.generate(1, 2).get(0));
        CachingSchemaRegistryClient sameScope = SchemaRegistryClients.create(
                Map.of(RegistryClientConfig.URL, "mock://" + scope));
        String otherScope = scope + "-other";
        CachingSchemaRegistryClient otherClient = SchemaRegistryClients.create(
                Map.of(RegistryClientConfig.URL, "mock://" + otherScope));

        // When / Then
        assertThat(new AvroDeserializer<>(sameScope, AvroSerdeConfig.defaults(), ScoredResponse.class)
                .deserialize(TOPIC, bytes)).isNotNull();
        assertThatThrownBy(() -> new AvroDeserializer<>(otherClient, AvroSerdeConfig.defaults(), ScoredResponse.class)
                .deserialize(TOPIC, bytes)).isInstanceOf(SerializationException.class);
        MockRegistryScopes.drop(otherScope);
    }

    @Test
    void shouldRefuseObjectsThatAreNotAvroRecords() {
        // Given
        AvroSerializer<Object> serializer = new AvroSerializer<>(client, AvroSerdeConfig.defaults(), false);

        // When / Then
        assertThatThrownBy(() -> serializer.serialize(TOPIC, "plain string"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRaiseUnavailableRatherThanSerializationErrorWhenRegistryIsDown() {
        // Given a frame with an id this consumer has not seen, and a registry that cannot be reached
        byte[] frame = new AvroSerializer<ScoredResponse>(client, AvroSerdeConfig.defaults(), false)
                .serialize(TOPIC, ScoredResponseSamples.generate(1, 2).get(0));
        SchemaRegistryClient down = (SchemaRegistryClient)
                Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                            throw new RegistryUnavailableException("registry down", null);
                        });

        // When / Then: not the record's fault, so no SerializationException (which would dead-letter it)
        assertThatThrownBy(() -> new AvroDeserializer<>(down, AvroSerdeConfig.defaults(), ScoredResponse.class)
                .deserialize(TOPIC, frame))
                .isInstanceOf(RegistryUnavailableException.class);
    }

    static Schema withoutField(Schema schema, String dropped) {
        List<Schema.Field> fields = schema.getFields().stream()
                .filter(f -> !f.name().equals(dropped))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    static byte[] confluentFrame(int id, Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
