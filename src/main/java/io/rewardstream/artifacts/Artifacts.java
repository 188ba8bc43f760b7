package io.rewardstream.artifacts;

import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.ArtifactRef;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.serde.AvroBytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Files too large for one Kafka record (a trained encoder is about 90 MB, a record about 1 MB) cut into
 * {@link ArtifactChunk}s and joined back. Each chunk names the whole file's sha256, its part and the number of
 * parts; joining checks that every part is there, the length, and the sha256.
 */
public final class Artifacts {

    /** Chunk size: half of Kafka's default 1 MB record limit, leaving room for the record's other fields. */
    public static final int CHUNK_BYTES = 512 * 1024;
    public static final String ONNX = "application/onnx";
    public static final String JSON = "application/json";

    private Artifacts() {
    }

    /** The chunks of {@code bytes}, each at most {@code chunkBytes} long (an empty file is one empty chunk). */
    public static List<ArtifactChunk> split(byte[] bytes, String contentType, int chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, got " + chunkBytes);
        }
        String sha = EncoderSource.sha256(bytes);
        int parts = Math.max(1, (bytes.length + chunkBytes - 1) / chunkBytes);
        List<ArtifactChunk> chunks = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            int from = part * chunkBytes;
            int length = Math.min(chunkBytes, bytes.length - from);
            chunks.add(ArtifactChunk.newBuilder().setSha256(sha).setPart(part).setParts(parts).setSize(bytes.length)
                    .setContentType(contentType).setData(ByteBuffer.wrap(bytes, from, length).slice()).build());
        }
        return chunks;
    }

    /** How a release names the file the chunks hold. */
    public static ArtifactRef ref(List<ArtifactChunk> chunks) {
        ArtifactChunk first = chunks.get(0);
        return ArtifactRef.newBuilder().setSha256(first.getSha256()).setSize(first.getSize())
                .setParts(first.getParts()).setContentType(first.getContentType()).build();
    }

    /** The record key of a chunk: its file's sha256 and its part, so compaction keeps one copy of each. */
    public static String key(ArtifactChunk chunk) {
        return key(chunk.getSha256(), chunk.getPart());
    }

    public static String key(String sha256, int part) {
        return sha256 + "/" + part;
    }

    /**
     * The file {@code ref} names, from its chunks by part.
     *
     * @throws ArtifactException when a part is missing or does not belong to the file, or the joined bytes differ in
     *                           length or sha256 from the reference
     */
    public static byte[] join(ArtifactRef ref, Map<Integer, ArtifactChunk> byPart) {
        if (ref.getSize() > Integer.MAX_VALUE - 8) {
            throw new ArtifactException("artifact " + ref.getSha256() + " of " + ref.getSize() + " bytes is too large");
        }
        ByteBuffer out = ByteBuffer.allocate((int) ref.getSize());
        for (int part = 0; part < ref.getParts(); part++) {
            ArtifactChunk chunk = byPart.get(part);
            if (chunk == null) {
                throw new ArtifactException("artifact " + ref.getSha256() + " lacks part " + part + " of "
                        + ref.getParts());
            }
            if (chunk.getParts() != ref.getParts() || chunk.getSize() != ref.getSize()) {
                throw new ArtifactException("part " + part + " of artifact " + ref.getSha256() + " says "
                        + chunk.getParts() + " parts of " + chunk.getSize() + " bytes; the release says "
                        + ref.getParts() + " of " + ref.getSize());
            }
            byte[] data = AvroBytes.copy(chunk.getData());
            if (data.length > out.remaining()) {
                throw new ArtifactException("artifact " + ref.getSha256() + " is longer than " + ref.getSize()
                        + " bytes");
            }
            out.put(data);
        }
        if (out.hasRemaining()) {
            throw new ArtifactException("artifact " + ref.getSha256() + " is " + out.position() + " bytes, not "
                    + ref.getSize());
        }
        byte[] bytes = out.array();
        String sha = EncoderSource.sha256(bytes);
        if (!sha.equals(ref.getSha256())) {
            throw new ArtifactException("artifact joined from " + ref.getParts() + " parts has sha256 " + sha
                    + ", not " + ref.getSha256());
        }
        return bytes;
    }
}
