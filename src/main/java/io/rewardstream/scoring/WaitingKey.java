package io.rewardstream.scoring;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Key of a response waiting in the batch store: an 8-byte big-endian arrival sequence number (so the store's
 * byte order is arrival order), a flag byte, then the record key in UTF-8 (absent for a null key).
 */
final class WaitingKey {

    private WaitingKey() {
    }

    static Bytes encode(long sequence, String key) {
        byte[] k = key == null ? new byte[0] : key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(9 + k.length);
        buffer.putLong(sequence).put((byte) (key == null ? 0 : 1)).put(k);
        return Bytes.wrap(buffer.array());
    }

    static long sequence(Bytes stored) {
        return ByteBuffer.wrap(stored.get()).getLong();
    }

    static String recordKey(Bytes stored) {
        byte[] b = stored.get();
        return b[8] == 0 ? null : new String(b, 9, b.length - 9, StandardCharsets.UTF_8);
    }
}
