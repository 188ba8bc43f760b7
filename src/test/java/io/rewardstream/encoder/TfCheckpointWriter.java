package io.rewardstream.encoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes float tensors as a TensorFlow tensor bundle, as TensorFlow lays one out: one data shard of the tensors'
 * little-endian bytes, and an index that is a sorted table (keys prefix-compressed against the previous key, a
 * restart point every {@link #RESTART_INTERVAL} keys, uncompressed blocks), its index block, an empty metaindex
 * block and the 48-byte footer. Data blocks are cut every {@code keysPerBlock} keys so that readers meet several.
 */
public final class TfCheckpointWriter {

    static final int RESTART_INTERVAL = 4;

    private TfCheckpointWriter() {
    }

    /** Writes {@code PREFIX.index} and {@code PREFIX.data-00000-of-00001} into {@code dir}. */
    public static Path write(Path dir, String prefix, Map<String, float[]> values, Map<String, long[]> shapes,
                      int keysPerBlock) throws IOException {
        TreeMap<String, byte[]> entries = new TreeMap<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        entries.put("", header());
        for (String name : new TreeMap<>(values).keySet()) {
            float[] v = values.get(name);
            ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(v);
            entries.put(name, entry(shapes.get(name), data.size(), 4L * v.length));
            data.write(bytes.array());
        }
        Files.write(dir.resolve(prefix + ".data-00000-of-00001"), data.toByteArray());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Block index = new Block();
        Block block = new Block();
        String last = null;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            block.add(e.getKey(), e.getValue());
            last = e.getKey();
            if (block.count == keysPerBlock) {
                index.add(last, handle(file, block.finish()));
                block = new Block();
            }
        }
        if (block.count > 0) {
            index.add(last, handle(file, block.finish()));
        }
        byte[] meta = handle(file, new Block().finish());
        byte[] indexHandle = handle(file, index.finish());
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        footer.write(meta);
        footer.write(indexHandle);
        while (footer.size() < 40) {
            footer.write(0);
        }
        footer.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(TfCheckpoint.TABLE_MAGIC).array());
        file.write(footer.toByteArray());
        Path indexFile = dir.resolve(prefix + ".index");
        Files.write(indexFile, file.toByteArray());
        return indexFile;
    }

    /** Appends a block and its trailer (no compression, checksum left 0) and returns its handle. */
    private static byte[] handle(ByteArrayOutputStream file, byte[] block) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        varint(h, file.size());
        varint(h, block.length);
        file.write(block);
        file.write(new byte[TfCheckpoint.BLOCK_TRAILER_BYTES]);
        return h.toByteArray();
    }

    private static final class Block {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final java.util.List<Integer> restarts = new java.util.ArrayList<>();
        private byte[] previous = new byte[0];
        private int count;

        void add(String key, byte[] value) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            int shared = 0;
            if (count % RESTART_INTERVAL == 0) {
                restarts.add(out.size());
            } else {
                while (shared < Math.min(k.length, previous.length) && k[shared] == previous[shared]) {
                    shared++;
                }
            }
            varint(out, shared);
            varint(out, k.length - shared);
            varint(out, value.length);
            out.write(k, shared, k.length - shared);
            out.write(value, 0, value.length);
            previous = k;
            count++;
        }

        byte[] finish() {
            if (restarts.isEmpty()) {
                restarts.add(0);
            }
            ByteBuffer tail = ByteBuffer.allocate(4 * restarts.size() + 4).order(ByteOrder.LITTLE_ENDIAN);
            restarts.forEach(tail::putInt);
            tail.putInt(restarts.size());
            out.write(tail.array(), 0, tail.capacity());
            return out.toByteArray();
        }
    }

    /** BundleHeaderProto: num_shards 1, little-endian (the default), version { producer 1 }. */
    private static byte[] header() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        varint(b, 1 << 3);
        varint(b, 1);
        varint(b, (3 << 3) | 2);
        varint(b, 2);
        varint(b, 1 << 3);
        varint(b, 1);
        return b.toByteArray();
    }

    /** BundleEntryProto: dtype float, shape, offset, size, and a crc32c field (fixed32, not checked here). */
    static byte[] entry(long[] shape, long offset, long size) {
        ByteArrayOutputStream dims = new ByteArrayOutputStream();
        for (long d : shape) {
            ByteArrayOutputStream dim = new ByteArrayOutputStream();
            varint(dim, 1 << 3);
            varint(dim, d);
            varint(dims, (2 << 3) | 2);
            varint(dims, dim.size());
            dims.write(dim.toByteArray(), 0, dim.size());
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        varint(b, 1 << 3);
        varint(b, TfCheckpoint.DT_FLOAT);
        varint(b, (2 << 3) | 2);
        varint(b, dims.size());
        b.write(dims.toByteArray(), 0, dims.size());
        if (offset > 0) {
            varint(b, 4 << 3);
            varint(b, offset);
        }
        varint(b, 5 << 3);
        varint(b, size);
        varint(b, (6 << 3) | 5);
        b.write(new byte[4], 0, 4);
        return b.toByteArray();
    }

    static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
