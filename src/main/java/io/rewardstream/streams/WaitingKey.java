package io.rewardstream.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key of a record waiting in a batch store (the scorer's responses, the trainer's events before encoding): an
 * 8-byte big-endian arrival sequence number (so the store's byte order is arrival order), a flag byte, then the
 * record key in UTF-8 (absent for a null key).
 */
public final class WaitingKey {

    private WaitingKey() {
    }

    public static Bytes encode(long sequence, String key) {
        byte[] k = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(9 + k.length);
        buffer.putLong(sequence).put((byte) (key == null ? 0 : 1)).put(k);
        return Bytes.wrap(buffer.array());
    }

    public static long sequence(Bytes stored) {
        return ByteBuffer.wrap(stored.get()).getLong();
    }

    public static String recordKey(Bytes stored) {
        byte[] b = stored.get();
        return b[8] == 0 ? null : new String(b, 9, b.length - 9, StandardCharsets.UTF_8);
    }
}
