package io.rewardstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.bench.ScoredResponseSamples;
import io.rewardstream.registry.CachingSchemaRegistryClient;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MalformedFrameTest {

    private static final String TOPIC = "rlhf.rewards";

    private final String scope = "malformed-" + UUID.randomUUID();
    private final CachingSchemaRegistryClient client = SchemaRegistryClients.create(
            Map.of(RegistryClientConfig.URL, "mock://" + scope));
    private final AvroSerializer<ScoredResponse> serializer =
            new AvroSerializer<>(client, AvroSerdeConfig.defaults(), false);
    private final AvroDeserializer<ScoredResponse> deserializer =
            new AvroDeserializer<>(client, AvroSerdeConfig.defaults(), ScoredResponse.class);

    @AfterEach
    void dropScope() {
        MockRegistryScopes.drop(scope);
    }

    private byte[] validFrame() {
        return serializer.serialize(TOPIC, ScoredResponseSamples.generate(1, 4).get(0));
    }

    @Test
    void shouldRejectFrameWithWrongMagicByte() {
        // Given
        byte[] frame = validFrame();
        frame[0] = 7;

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, frame))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("magic byte 0x07");
    }

    @Test
    void shouldRejectFrameShorterThanHeader() {
        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("3 bytes");
    }

    @Test
    void shouldRejectFrameWithUnknownSchemaId() {
        // Given
        byte[] frame = validFrame();
        ByteBuffer.wrap(frame).putInt(1, 4242);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, frame))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("schema id 4242")
                .hasMessageContaining("unknown schema id")
                .hasMessageContaining("40403");
    }

    @Test
    void shouldRejectTruncatedPayload() {
        // Given
        byte[] frame = validFrame();
        byte[] truncated = Arrays.copyOf(frame, frame.length / 2);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("schema id " + ByteBuffer.wrap(frame, 1, 4).getInt())
                .hasMessageContaining("does not decode");
    }

    @Test
    void shouldRejectGarbagePayload() {
        // Given a valid header followed by random bytes
        byte[] frame = validFrame();
        byte[] garbage = Arrays.copyOf(frame, 64);
        new Random(1).nextBytes(garbage);
        System.arraycopy(frame, 0, garbage, 0, WireFormat.HEADER_SIZE);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("schema id " + ByteBuffer.wrap(frame, 1, 4).getInt());
    }

    @Test
    void shouldRejectPayloadWithTrailingBytes() {
        // Given
        byte[] frame = validFrame();
        byte[] longer = Arrays.copyOf(frame, frame.length + 3);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void shouldRejectWriterSchemaThatCannotResolveToReaderSchema() {
        // Given a writer schema named like ScoredResponse but without the required reward field
        Schema writer = AvroSerdeTest.withoutField(ScoredResponse.getClassSchema(), "reward");
        int id = MockRegistryScopes.scope(scope).register("incompatible-writer", writer);
        GenericRecord record = new GenericData.Record(writer);
        ScoredResponse source = ScoredResponseSamples.generate(1, 4).get(0);
        for (Schema.Field field : writer.getFields()) {
            Object value = source.get(field.name());
            record.put(field.name(), value instanceof Instant t ? t.toEpochMilli() : value);
        }
        byte[] frame = AvroSerdeTest.confluentFrame(id, writer, record);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, frame))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id " + id)
                .hasMessageContaining("cannot be resolved")
                .hasMessageContaining("reward");
    }

    @Test
    void shouldKeepDecodingGoodFramesAfterBadOnes() {
        // Given
        byte[] good = validFrame();
        byte[] bad = Arrays.copyOf(good, good.length / 3);
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bad)).isInstanceOf(SerializationException.class);

        // When
        ScoredResponse decoded = deserializer.deserialize(TOPIC, good);

        // Then
        assertThat(decoded).isEqualTo(ScoredResponseSamples.generate(1, 4).get(0));
    }
}
