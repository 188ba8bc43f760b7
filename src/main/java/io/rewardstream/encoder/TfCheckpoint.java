package io.rewardstream.encoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The float tensors of a TensorFlow checkpoint (a "tensor bundle": {@code PREFIX.index} and its data shards
 * {@code PREFIX.data-00000-of-0000N}), read without TensorFlow. The index is a LevelDB-style sorted table: data
 * blocks of prefix-compressed keys, an index block pointing at them, and a 48-byte footer ending in a magic number.
 * Each key is a tensor's name and its value a {@code BundleEntryProto} (dtype, shape, shard, offset, size); the
 * empty key holds the {@code BundleHeaderProto} (shard count, byte order). Tensor bytes are read from the shards as
 * they lie, little-endian.
 *
 * <p>Refused with a message: a table with compressed blocks, a big-endian bundle, a tensor stored in slices
 * (partitioned variables), a missing shard.
 */
public final class TfCheckpoint {

    /** The footer's magic number, as written by LevelDB-style tables. */
    static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER_BYTES = 48;
    /** Bytes after each block: its compression type and a checksum. */
    static final int BLOCK_TRAILER_BYTES = 5;
    static final int DT_FLOAT = 1;

    /** The index's entries by name, and how many data shards the header says there are. */
    record Index(Map<String, Entry> entries, int shards) {
    }

    /** One tensor's place in the bundle. */
    record Entry(int dtype, long[] shape, int shard, long offset, long size) {
    }

    /** A float tensor: its shape and values in row-major order. */
    public record Tensor(long[] shape, float[] values) {
    }

    private TfCheckpoint() {
    }

    /**
     * Every float tensor of the checkpoint, by name, in the index's (sorted) order; tensors of other types (a step
     * counter) are left out.
     *
     * @param index the {@code .index} file; its shards lie beside it
     * @throws IOException with the file and what is wrong when the bundle cannot be read
     */
    public static Map<String, Tensor> read(Path index) throws IOException {
        String name = index.getFileName().toString();
        if (!name.endsWith(".index")) {
            throw new IOException(index + ": a checkpoint index file's name ends in .index");
        }
        String prefix = name.substring(0, name.length() - ".index".length());
        Index read = index(index);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        FileChannel[] open = new FileChannel[read.shards()];
        try {
            for (Map.Entry<String, Entry> e : read.entries().entrySet()) {
                Entry entry = e.getValue();
                if (entry.dtype() != DT_FLOAT) {
                    continue;
                }
                if (entry.shard() < 0 || entry.shard() >= open.length) {
                    throw new IOException(index + ": tensor " + e.getKey() + " names shard " + entry.shard() + " of "
                            + open.length);
                }
                if (open[entry.shard()] == null) {
                    Path data = index.resolveSibling(String.format(Locale.ROOT, "%s.data-%05d-of-%05d", prefix,
                            entry.shard(), open.length));
                    if (!Files.isRegularFile(data)) {
                        throw new IOException("checkpoint data shard " + data + " is missing");
                    }
                    open[entry.shard()] = FileChannel.open(data);
                }
                tensors.put(e.getKey(), new Tensor(entry.shape(), floats(open[entry.shard()], entry, e.getKey())));
            }
        } finally {
            for (FileChannel channel : open) {
                if (channel != null) {
                    channel.close();
                }
            }
        }
        return tensors;
    }

    private static float[] floats(FileChannel channel, Entry entry, String name) throws IOException {
        long count = Arrays.stream(entry.shape()).reduce(1, (a, b) -> a * b);
        if (entry.size() != 4 * count || count > Integer.MAX_VALUE) {
            throw new IOException("tensor " + name + " of shape " + Arrays.toString(entry.shape()) + " has "
                    + entry.size() + " bytes; " + 4 * count + " expected");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) entry.size()).order(ByteOrder.LITTLE_ENDIAN);
        while (bytes.hasRemaining()) {
            if (channel.read(bytes, entry.offset() + bytes.position()) < 0) {
                throw new IOException("tensor " + name + " runs past the end of its data shard");
            }
        }
        bytes.flip();
        float[] values = new float[(int) count];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    /** Reads the index table: every entry, and the header's shard count. */
    static Index index(Path index) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(index)).order(ByteOrder.LITTLE_ENDIAN);
        int n = file.limit();
        if (n < FOOTER_BYTES || file.getLong(n - 8) != TABLE_MAGIC) {
            throw new IOException(index + " is not a TensorFlow checkpoint index (no table footer)");
        }
        ByteBuffer footer = file.duplicate().position(n - FOOTER_BYTES);
        varint(footer);
        varint(footer);
        long indexOffset = varint(footer);
        long indexSize = varint(footer);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int shards = 1;
        for (byte[][] handle : block(file, indexOffset, indexSize, index)) {
            ByteBuffer h = ByteBuffer.wrap(handle[1]);
            for (byte[][] kv : block(file, varint(h), varint(h), index)) {
                String key = new String(kv[0], java.nio.charset.StandardCharsets.UTF_8);
                if (key.isEmpty()) {
                    shards = header(kv[1], index);
                } else {
                    entries.put(key, entry(kv[1], key));
                }
            }
        }
        return new Index(entries, shards);
    }

    /** The key-value pairs of one block. */
    private static List<byte[][]> block(ByteBuffer file, long offset, long size, Path index) throws IOException {
        if (offset < 0 || size < 4 || offset + size + BLOCK_TRAILER_BYTES > file.limit()) {
            throw new IOException(index + ": a block lies outside the file");
        }
        int end = (int) (offset + size);
        if (file.get(end) != 0) {
            throw new IOException(index + ": compressed blocks (type " + file.get(end) + ") are not supported");
        }
        ByteBuffer b = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int restarts = b.getInt(end - 4);
        int limit = end - 4 - 4 * restarts;
        b.position((int) offset);
        List<byte[][]> pairs = new ArrayList<>();
        byte[] last = new byte[0];
        while (b.position() < limit) {
            int shared = (int) varint(b);
            int unshared = (int) varint(b);
            int valueLength = (int) varint(b);
            if (shared > last.length) {
                throw new IOException(index + ": a key shares more bytes than the previous key has");
            }
            byte[] key = Arrays.copyOf(last, shared + unshared);
            b.get(key, shared, unshared);
            byte[] value = new byte[valueLength];
            b.get(value);
            pairs.add(new byte[][] {key, value});
            last = key;
        }
        return pairs;
    }

    /** BundleHeaderProto: num_shards (1), endianness (2, 0 = little). */
    private static int header(byte[] proto, Path index) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(proto);
        int shards = 1;
        while (b.hasRemaining()) {
            long tag = varint(b);
            int field = (int) (tag >>> 3);
            if ((tag & 7) != 0) {
                skip(b, (int) (tag & 7));
                continue;
            }
            long value = varint(b);
            if (field == 1) {
                shards = (int) value;
            } else if (field == 2 && value != 0) {
                throw new IOException(index + ": a big-endian checkpoint is not supported");
            }
        }
        return shards;
    }

    /** BundleEntryProto: dtype (1), shape (2), shard_id (3), offset (4), size (5), crc32c (6), slices (7). */
    static Entry entry(byte[] proto, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(proto);
        int dtype = 0;
        int shard = 0;
        long offset = 0;
        long size = 0;
        long[] shape = new long[0];
        while (b.hasRemaining()) {
            long tag = varint(b);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == 0) {
                long value = varint(b);
                switch (field) {
                    case 1 -> dtype = (int) value;
                    case 3 -> shard = (int) value;
                    case 4 -> offset = value;
                    case 5 -> size = value;
                    default -> { }
                }
            } else if (wire == 2 && field == 2) {
                shape = shape(bytes(b));
            } else if (wire == 2 && field == 7) {
                throw new IOException("tensor " + name + " is stored in slices (a partitioned variable): not supported");
            } else {
                skip(b, wire);
            }
        }
        return new Entry(dtype, shape, shard, offset, size);
    }

    /** TensorShapeProto: repeated Dim dim (2) { int64 size (1) }. */
    private static long[] shape(byte[] proto) {
        ByteBuffer b = ByteBuffer.wrap(proto);
        List<Long> dims = new ArrayList<>();
        while (b.hasRemaining()) {
            long tag = varint(b);
            if ((tag >>> 3) == 2 && (tag & 7) == 2) {
                ByteBuffer dim = ByteBuffer.wrap(bytes(b));
                long size = 0;
                while (dim.hasRemaining()) {
                    long t = varint(dim);
                    if ((t >>> 3) == 1 && (t & 7) == 0) {
                        size = varint(dim);
                    } else {
                        skip(dim, (int) (t & 7));
                    }
                }
                dims.add(size);
            } else {
                skip(b, (int) (tag & 7));
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[(int) varint(b)];
        b.get(out);
        return out;
    }

    private static void skip(ByteBuffer b, int wire) {
        switch (wire) {
            case 0 -> varint(b);
            case 1 -> b.position(b.position() + 8);
            case 2 -> {
                int length = (int) varint(b);
                b.position(b.position() + length);
            }
            case 5 -> b.position(b.position() + 4);
            default -> throw new IllegalArgumentException("protobuf wire type " + wire + " is not supported");
        }
    }

    static long varint(ByteBuffer b) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b.get();
            value |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }
}
