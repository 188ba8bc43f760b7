package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.bench.ScoredResponseSamples;
import io.rewardstream.serde.AvroDeserializer;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.serde.AvroSerializer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The client and serdes against a real registry (Apicurio's Confluent-compatible API). */
class ApicurioRegistryIT {

    private final String url = RealRegistry.url();
    private final String topic = "it-" + UUID.randomUUID();

    private CachingSchemaRegistryClient newClient() {
        return SchemaRegistryClients.create(RealRegistry.clientConfig(url));
    }

    @Test
    void shouldAcceptCompatibleEvolutionAndRefuseIncompatibleChangeWith409() {
        // Given
        String subject = topic + "-value";
        Schema v1 = SchemaBuilder.record("Evolving").namespace("it").fields().requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Evolving").namespace("it").fields().requiredString("id")
                .name("note").type().stringType().stringDefault("").endRecord();
        Schema broken = SchemaBuilder.record("Evolving").namespace("it").fields().requiredString("id")
                .requiredLong("mandatory").endRecord();
        CachingSchemaRegistryClient client = newClient();
        int first = client.register(subject, v1);
        client.setCompatibility(subject, "BACKWARD");

        // When
        int second = client.register(subject, v2);

        // Then
        assertThat(second).isNotEqualTo(first);
        assertThat(client.latest(subject).version()).isEqualTo(2);
        assertThat(client.lookup(subject, v1).version()).isEqualTo(1);
        assertThat(client.isCompatibleWithLatest(subject, broken)).isFalse();
        assertThatThrownBy(() -> client.register(subject, broken))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA));
    }

    @Test
    void shouldReportMissingSubjectAndSchemaWithConfluentCodes() {
        // Given
        CachingSchemaRegistryClient client = newClient();
        Schema schema = SchemaBuilder.record("Lonely").namespace("it").fields().requiredInt("n").endRecord();

        // When / Then
        assertThatThrownBy(() -> client.latest(topic + "-missing"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        assertThatThrownBy(() -> client.schemaById(Integer.MAX_VALUE - 1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        client.register(topic + "-value", ScoredResponse.getClassSchema());
        assertThatThrownBy(() -> client.lookup(topic + "-value", schema))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Test
    void shouldRoundTripTenThousandRecords() {
        // Given
        List<ScoredResponse> records = ScoredResponseSamples.generate(10_000, 21);
        AvroSerde<ScoredResponse> producer = AvroSerde.specific(ScoredResponse.class, newClient(),
                AvroSerdeConfig.defaults());
        AvroDeserializer<ScoredResponse> consumer =
                new AvroDeserializer<>(newClient(), AvroSerdeConfig.defaults(), ScoredResponse.class);

        // When
        List<ScoredResponse> decoded = new ArrayList<>(records.size());
        for (ScoredResponse record : records) {
            decoded.add(consumer.deserialize(topic, producer.serializer().serialize(topic, record)));
        }

        // Then
        assertThat(decoded).isEqualTo(records);
    }

    @Test
    void shouldSerializeFromSeveralProducersInParallel() throws Exception {
        // Given four producers, each with its own client, racing to register the same schema
        int producers = 4;
        int perProducer = 500;
        List<ScoredResponse> records = ScoredResponseSamples.generate(producers * perProducer, 33);
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<List<byte[]>>> results = new ArrayList<>();

        // When
        for (int p = 0; p < producers; p++) {
            List<ScoredResponse> slice = records.subList(p * perProducer, (p + 1) * perProducer);
            AvroSerializer<ScoredResponse> serializer =
                    new AvroSerializer<>(newClient(), AvroSerdeConfig.defaults(), false);
            results.add(pool.submit(() -> slice.stream().map(r -> serializer.serialize(topic, r)).toList()));
        }
        List<byte[]> frames = new ArrayList<>();
        for (Future<List<byte[]>> result : results) {
            frames.addAll(result.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();

        // Then
        assertThat(frames.stream().map(f -> ByteBuffer.wrap(f, 1, 4).getInt()).distinct()).hasSize(1);
        AvroDeserializer<ScoredResponse> consumer =
                new AvroDeserializer<>(newClient(), AvroSerdeConfig.defaults(), ScoredResponse.class);
        assertThat(frames.stream().map(f -> consumer.deserialize(topic, f)).toList()).isEqualTo(records);
    }

    @Test
    void shouldDecodeFrameBuiltByHandTheConfluentWay() throws Exception {
        // Given
        ScoredResponse record = ScoredResponseSamples.generate(1, 5).get(0);
        int id = newClient().register(topic + "-value", ScoredResponse.getClassSchema());
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(avro, null);
        new SpecificDatumWriter<>(ScoredResponse.class).write(record, encoder);
        encoder.flush();
        byte[] frame = ByteBuffer.allocate(5 + avro.size()).put((byte) 0).putInt(id).put(avro.toByteArray()).array();

        // When
        ScoredResponse decoded = new AvroDeserializer<>(newClient(), AvroSerdeConfig.defaults(), ScoredResponse.class)
                .deserialize(topic, frame);

        // Then
        assertThat(decoded).isEqualTo(record);
    }

    @Test
    void shouldWriteBytesThatPlainAvroDecodesWithSchemaFetchedById() throws Exception {
        // Given
        ScoredResponse record = ScoredResponseSamples.generate(1, 6).get(0);
        byte[] frame = new AvroSerializer<ScoredResponse>(newClient(), AvroSerdeConfig.defaults(), false)
                .serialize(topic, record);
        int id = ByteBuffer.wrap(frame, 1, 4).getInt();

        // When the schema is fetched by plain HTTP, without our client, and the payload read by plain Avro
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        Schema writer = new Schema.Parser().parse(new ObjectMapper().readTree(answer.body()).get("schema").asText());
        GenericRecord plain = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(frame, 5, frame.length - 5, null));

        // Then
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(plain.get("response_id").toString()).isEqualTo(record.getResponseId());
        assertThat(plain.get("prompt").toString()).isEqualTo(record.getPrompt());
        assertThat(plain.get("reward")).isEqualTo(record.getReward());
        assertThat(plain.get("scored_at")).isEqualTo(record.getScoredAt().toEpochMilli());
    }

    @Test
    void shouldRefuseProducerWhoseSchemaBreaksTheSubject() {
        // Given
        Schema v1 = SchemaBuilder.record("Strict").namespace("it").fields().requiredString("id").endRecord();
        Schema broken = SchemaBuilder.record("Strict").namespace("it").fields().requiredInt("id").endRecord();
        CachingSchemaRegistryClient client = newClient();
        client.register(topic + "-value", v1);
        client.setCompatibility(topic + "-value", "BACKWARD");
        GenericRecord record = new GenericData.Record(broken);
        record.put("id", 1);

        // When / Then
        assertThatThrownBy(() -> AvroSerde.generic(newClient(), AvroSerdeConfig.defaults()).serializer()
                .serialize(topic, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("409");
    }
}
