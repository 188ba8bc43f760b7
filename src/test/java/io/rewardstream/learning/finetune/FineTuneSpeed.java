package io.rewardstream.learning.finetune;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenSequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures fine-tuning speed on a real encoder (not a test): sequences per second of forward + backward + AdamW
 * update at each length, and forward-only speed in PyTorch and in ONNX Runtime, on random full-length sequences.
 * Arguments: [encoder] [threads] [batch sequences] [runs] [lengths...]; figures are logged at INFO
 * ({@code RS_LOG_LEVEL=INFO}). The lengths are trained one after the other on the same encoder, so the losses of
 * a length depend on the lengths before it; with the same arguments two runs log the same losses.
 */
public final class FineTuneSpeed {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneSpeed.class);

    private FineTuneSpeed() {
    }

    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : EncoderSource.DEFAULT;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        List<Integer> lengths = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            lengths.add(Integer.parseInt(args[i]));
        }
        if (lengths.isEmpty()) {
            lengths = List.of(128, 256);
        }
        EncoderSource source = EncoderSource.resolve(name);
        try (TrainableEncoder encoder = TrainableEncoder.load(source, threads)) {
            forward(encoder, source, threads, batch, steps, 128);
            for (int length : lengths) {
                train(encoder, batch, steps, length);
            }
        }
    }

    private static void forward(TrainableEncoder encoder, EncoderSource source, int threads, int batch, int steps,
                                int length) throws IOException {
        List<TokenSequence> texts = sequences(batch, length, 1);
        report("forward PyTorch", length, batch, time(steps, () -> encoder.embed(texts)));
        try (TextEncoder ort = TextEncoder.load(source, threads, batch)) {
            report("forward ONNX Runtime", length, batch, time(steps, () -> ort.embed(texts)));
        }
    }

    private static void train(TrainableEncoder encoder, int batch, int steps, int length) throws IOException {
        List<TokenSequence> texts = sequences(batch, length, 2);
        PreferencePairs pairs = PreferencePairs.of(texts.subList(0, batch / 2), texts.subList(batch / 2, batch));
        try (RewardFineTuner tuner = RewardFineTuner.withRandomHead(encoder, 1,
                new FineTuneOptions(1e-6f, 1e-6f, 0.01f, 1f, 0f))) {
            StringBuilder losses = new StringBuilder();
            double[] seconds = time(steps, () -> losses.append(' ').append(tuner.step(pairs).loss()));
            report("fine-tune (forward+backward+update)", length, batch, seconds);
            LOG.info("  losses (first is the warm-up step):{}", losses);
        }
    }

    /** Seconds of each of {@code steps} runs of {@code work}, after one untimed warm-up run. */
    private static double[] time(int steps, Runnable work) {
        work.run();
        double[] seconds = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }

    /** Logs the best and the median rate: on a shared machine the best run is the least disturbed one. */
    private static void report(String what, int length, int batch, double[] seconds) throws IOException {
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        LOG.info(String.format("%s at %d tokens, batch %d: best %.2f, median %.2f sequences/s over %d runs;"
                + " peak RSS so far %s", what, length, batch, batch / sorted[0], batch / median, sorted.length,
                peakRss()));
    }

    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " ").substring("VmHWM: ".length())).findFirst().orElse("?");
    }

    /** Full-length [CLS] words [SEP] sequences of random word ids, seeded. */
    private static List<TokenSequence> sequences(int count, int length, long seed) {
        Random random = new Random(seed);
        List<TokenSequence> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            long[] ids = new long[length];
            ids[0] = 101;
            ids[length - 1] = 102;
            for (int t = 1; t < length - 1; t++) {
                ids[t] = 1000 + random.nextInt(28000);
            }
            out.add(new TokenSequence(ids, new long[length], false));
        }
        return out;
    }
}
