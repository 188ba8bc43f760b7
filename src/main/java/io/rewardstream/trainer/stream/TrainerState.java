package io.rewardstream.trainer.stream;

import io.rewardstream.avro.ArtifactRef;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.serde.TrustedAvroClasses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The trainer's durable facts, in a changelogged store written in the same transaction as the releases:
 * the last version handed out (so versions strictly increase across restarts and failover) and the live
 * release (so a restarted trainer scores with the model in service).
 */
public final class TrainerState {

    private static final String VERSION = "last-version";
    private static final String LIVE = "live-release";
    private static final String TRAINING_FROM = "training-from";
    private static final String ARTIFACTS = "artifacts";

    private final KeyValueStore<String, byte[]> store;

    public TrainerState(KeyValueStore<String, byte[]> store) {
        TrustedAvroClasses.install();
        this.store = store;
    }

    public long lastVersion() {
        byte[] bytes = store.get(VERSION);
        return bytes == null ? 0L : ByteBuffer.wrap(bytes).getLong();
    }

    /** Hands out the next version and remembers it. */
    public long nextVersion() {
        long next = lastVersion() + 1;
        store.put(VERSION, ByteBuffer.allocate(Long.BYTES).putLong(next).array());
        return next;
    }

    /** The earliest timestamp trained on (moved forward by drift), or Long.MIN_VALUE. */
    public long trainingFrom() {
        byte[] bytes = store.get(TRAINING_FROM);
        return bytes == null ? Long.MIN_VALUE : ByteBuffer.wrap(bytes).getLong();
    }

    public void setTrainingFrom(long timestamp) {
        store.put(TRAINING_FROM, ByteBuffer.allocate(Long.BYTES).putLong(timestamp).array());
    }

    public ModelRelease liveRelease() {
        byte[] bytes = store.get(LIVE);
        try {
            return bytes == null ? null : ModelRelease.fromByteBuffer(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable live release in the trainer state", e);
        }
    }

    public void setLiveRelease(ModelRelease release) {
        try {
            ByteBuffer buffer = release.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            store.put(LIVE, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Remembers a published encoder artifact (newest last) and forgets all but the newest {@code keep}.
     *
     * @return the artifacts forgotten, whose chunks may be deleted
     */
    public List<ArtifactRef> addArtifact(ArtifactRef ref, int keep) {
        List<ArtifactRef> known = new ArrayList<>(artifacts());
        known.add(ref);
        List<ArtifactRef> stale = new ArrayList<>(known.subList(0, Math.max(0, known.size() - keep)));
        List<ArtifactRef> kept = known.subList(stale.size(), known.size());
        StringBuilder lines = new StringBuilder();
        kept.forEach(a -> lines.append(a.getSha256()).append(' ').append(a.getParts()).append(' ').append(a.getSize())
                .append(' ').append(a.getContentType()).append('\n'));
        store.put(ARTIFACTS, lines.toString().getBytes(StandardCharsets.UTF_8));
        return stale;
    }

    /** The published encoder artifacts still kept, oldest first. */
    public List<ArtifactRef> artifacts() {
        byte[] bytes = store.get(ARTIFACTS);
        List<ArtifactRef> refs = new ArrayList<>();
        if (bytes != null) {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f.length == 4) {
                    refs.add(new ArtifactRef(f[0], Long.parseLong(f[2]), Integer.parseInt(f[1]), f[3]));
                }
            }
        }
        return refs;
    }
}
