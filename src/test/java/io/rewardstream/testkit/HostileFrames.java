package io.rewardstream.testkit;

import io.rewardstream.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Record values a hostile or broken producer may write to a topic, in or out of the Confluent wire format (magic byte
 * 0, 4-byte schema id, Avro binary): the first classes of the hostile-input catalogue of docs/reliability.md.
 */
public final class HostileFrames {

    private HostileFrames() {
    }

    /** Bytes that are not a frame at all. */
    public static byte[] garbage() {
        return "{\"this is\": \"JSON, not Avro\"}".getBytes(StandardCharsets.UTF_8);
    }

    /** A frame whose magic byte is 1 instead of 0. */
    public static byte[] wrongMagicByte() {
        return new byte[] {1, 0, 0, 0, 1, 2, 'h', 'i'};
    }

    /** A well-formed frame naming a schema id the registry never gave out. */
    public static byte[] unknownSchemaId() {
        return ByteBuffer.allocate(8).put((byte) 0).putInt(987_654_321).put(new byte[] {2, 'h', 'i'}).array();
    }

    /** {@code record} in the wire format, its schema registered under {@code subject}. */
    public static byte[] framed(SchemaRegistryClient registry, String subject, GenericRecord record) {
        int id = registry.register(subject, record.getSchema());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            if (record instanceof SpecificRecord) {
                new SpecificDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            } else {
                new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            }
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A record named like {@code io.rewardstream.avro.RolloutResponse} but evolved incompatibly: {@code response} is
     * an int, and there is no {@code response_id}; registered under {@code subject}, so its id is known.
     */
    public static byte[] incompatibleResponse(SchemaRegistryClient registry, String subject) {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "RolloutResponse", "namespace": "io.rewardstream.avro", "fields": [
                  {"name": "prompt", "type": "string"}, {"name": "response", "type": "int"}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("prompt", "What is two plus two?");
        record.put("response", 4);
        return framed(registry, subject, record);
    }
}
