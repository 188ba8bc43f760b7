package io.rewardstream.serde;

import java.nio.ByteBuffer;

/** Avro {@code bytes} fields arrive as {@link ByteBuffer}s that may be views into a larger array. */
public final class AvroBytes {

    private AvroBytes() {
    }

    /** The buffer's remaining bytes, copied; the buffer's position is left as it was. */
    public static byte[] copy(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return out;
    }
}
