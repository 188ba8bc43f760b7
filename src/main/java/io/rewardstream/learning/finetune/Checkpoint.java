package io.rewardstream.learning.finetune;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link FineTuneRun} keeps the state it can resume from: one file, {@value #FILE}, in a directory,
 * rewritten at the end of every epoch and when a stop is requested, always through a temporary file renamed over
 * the old one, so that a crash leaves the previous checkpoint whole. It holds the trained arrays, the optimiser's
 * step count and moments, the position in the epoch (the batch order itself is rebuilt from the seed), the loss so
 * far in the epoch, the epoch reports, and the best epoch's arrays; and a fingerprint of the recipe, encoder and
 * pairs, so that it is never resumed by another run.
 */
public final class Checkpoint {

    /** The checkpoint's file name in its directory. */
    public static final String FILE = "fine-tune.checkpoint";

    private static final int MAGIC = 0x52534654;
    private static final int VERSION = 1;
    private static final Checkpoint NONE = new Checkpoint(null);

    private final Path dir;

    private Checkpoint(Path dir) {
        this.dir = dir;
    }

    /** No checkpoint: nothing is written, nothing resumed. */
    public static Checkpoint none() {
        return NONE;
    }

    /** A checkpoint in {@code dir} (created when first written). */
    public static Checkpoint in(Path dir) {
        return new Checkpoint(dir);
    }

    /** Whether a checkpoint has been written there. */
    public boolean exists() {
        return dir != null && Files.isRegularFile(file());
    }

    /** The checkpoint file, or null for {@link #none()}. */
    public Path file() {
        return dir == null ? null : dir.resolve(FILE);
    }

    /** Removes the checkpoint (and its directory, when nothing else is in it) once its run has finished. */
    public void delete() {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.deleteIfExists(file());
            try (var rest = Files.list(dir)) {
                if (rest.findAny().isEmpty()) {
                    Files.delete(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkpoint " + file(), e);
        }
    }

    /**
     * A run's state between two steps.
     *
     * @param epochsDone   epochs completed
     * @param nextStep     the next step in epoch {@code epochsDone + 1} (0 at an epoch's end)
     * @param epochLoss    the sum of the losses of the steps before {@code nextStep} in that epoch
     * @param seconds      wall time spent so far, over all sessions of the run
     * @param adamSteps    the optimiser's step count
     * @param current      every trained array's value, by name
     * @param moments      per trained array, in the same order, its first and second moments
     * @param best         the best epoch's arrays
     */
    record State(String fingerprint, int epochsDone, int nextStep, double epochLoss, double seconds,
                 List<FineTuneRun.EpochReport> reports, int bestEpoch, Map<String, float[]> current, int adamSteps,
                 List<float[][]> moments, Map<String, float[]> best) {
    }

    /** Writes {@code state} atomically; does nothing for {@link #none()}. */
    void save(State state) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, FILE, ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp),
                    1 << 20))) {
                write(out, state);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Files.move(temp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fine-tuning checkpoint in " + dir, e);
        }
    }

    /**
     * Reads the checkpoint.
     *
     * @throws IllegalArgumentException when it was written by a run of another recipe, encoder or pairs
     */
    State load(String fingerprint) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file()),
                1 << 20))) {
            State state = read(in);
            if (!state.fingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException(file() + " was written by another fine-tuning run (recipe, encoder"
                        + " or pairs differ); remove it or use another checkpoint directory");
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fine-tuning checkpoint " + file(), e);
        }
    }

    private static void write(DataOutputStream out, State s) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(s.fingerprint());
        out.writeInt(s.epochsDone());
        out.writeInt(s.nextStep());
        out.writeDouble(s.epochLoss());
        out.writeDouble(s.seconds());
        out.writeInt(s.reports().size());
        for (FineTuneRun.EpochReport r : s.reports()) {
            out.writeInt(r.epoch());
            out.writeDouble(r.trainLoss());
            out.writeDouble(r.validationAccuracy());
            out.writeDouble(r.validationLoss());
            out.writeDouble(r.seconds());
        }
        out.writeInt(s.bestEpoch());
        writeArrays(out, s.current());
        out.writeInt(s.adamSteps());
        out.writeInt(s.moments().size());
        for (float[][] m : s.moments()) {
            writeFloats(out, m[0]);
            writeFloats(out, m[1]);
        }
        writeArrays(out, s.best());
    }

    private static State read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a fine-tuning checkpoint of version " + VERSION);
        }
        String fingerprint = in.readUTF();
        int epochsDone = in.readInt();
        int nextStep = in.readInt();
        double epochLoss = in.readDouble();
        double seconds = in.readDouble();
        int reportCount = in.readInt();
        List<FineTuneRun.EpochReport> reports = new ArrayList<>();
        for (int i = 0; i < reportCount; i++) {
            reports.add(new FineTuneRun.EpochReport(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble()));
        }
        int bestEpoch = in.readInt();
        Map<String, float[]> current = readArrays(in);
        int adamSteps = in.readInt();
        int momentCount = in.readInt();
        List<float[][]> moments = new ArrayList<>();
        for (int i = 0; i < momentCount; i++) {
            moments.add(new float[][] {readFloats(in), readFloats(in)});
        }
        Map<String, float[]> best = readArrays(in);
        return new State(fingerprint, epochsDone, nextStep, epochLoss, seconds, reports, bestEpoch, current,
                adamSteps, moments, best);
    }

    private static void writeArrays(DataOutputStream out, Map<String, float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            out.writeUTF(e.getKey());
            writeFloats(out, e.getValue());
        }
    }

    private static Map<String, float[]> readArrays(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            arrays.put(in.readUTF(), readFloats(in));
        }
        return arrays;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        bytes.asFloatBuffer().put(values);
        out.write(bytes.array());
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        int length = in.readInt();
        byte[] raw = new byte[length * Float.BYTES];
        in.readFully(raw);
        float[] values = new float[length];
        ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    @Override
    public String toString() {
        return dir == null ? "no checkpoint" : file().toString();
    }
}
