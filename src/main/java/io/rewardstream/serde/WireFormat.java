package io.rewardstream.serde;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;

/** The Confluent framing: magic byte 0, the schema id as a 4-byte big-endian int, then Avro binary. */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the five header bytes to {@code out}. */
    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** Checks the header and returns the schema id, or fails with a message naming the topic and the fault. */
    static int schemaId(String topic, byte[] frame) {
        if (frame.length < HEADER_SIZE) {
            throw new SerializationException(String.format(
                    "Cannot deserialize record from topic '%s' (schema id unknown): frame of %d bytes is shorter "
                            + "than the %d-byte header (magic byte + schema id)", topic, frame.length, HEADER_SIZE));
        }
        if (frame[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Cannot deserialize record from topic '%s' (schema id unknown): unknown magic byte 0x%02x, "
                            + "expected 0x00 (Confluent wire format)", topic, frame[0]));
        }
        return ((frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16) | ((frame[3] & 0xff) << 8) | (frame[4] & 0xff);
    }
}
