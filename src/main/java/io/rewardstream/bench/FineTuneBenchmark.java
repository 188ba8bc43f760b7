package io.rewardstream.bench;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.data.Split;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.learning.finetune.Checkpoint;
import io.rewardstream.learning.finetune.FineTuneOptions;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import io.rewardstream.learning.finetune.FineTuneRun;
import io.rewardstream.learning.finetune.PreferencePairs;
import io.rewardstream.learning.finetune.RewardFineTuner;
import io.rewardstream.learning.finetune.TrainableEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tuning speed on a real encoder, in one run: sequences per second of forward + backward + AdamW update of
 * every parameter at each length, next to the forward-only rate of the same encoder in PyTorch and in ONNX
 * Runtime, on seeded random full-length sequences in batches of a fixed size. Each figure is the best and the
 * median of several timed runs after an untimed warm-up: on a shared machine the best run is the least disturbed.
 */
public final class FineTuneBenchmark {

    /** Best and median rate of one measurement. */
    public record Rate(double best, double median) {
    }

    /**
     * @param fineTune    per sequence length, forward + backward + update
     * @param forwardTorch forward alone in PyTorch at {@code forwardLength}
     * @param forwardOrt   forward alone in ONNX Runtime at {@code forwardLength}
     * @param peakRssMb    the process's peak resident memory after the runs, in MiB (-1 where unknown)
     */
    public record Result(Map<Integer, Rate> fineTune, int forwardLength, Rate forwardTorch, Rate forwardOrt,
                         int batch, int runs, int threads, long peakRssMb) {
    }

    private FineTuneBenchmark() {
    }

    /**
     * Wall time of one epoch of the default recipe over {@code pairs}: all but a prompt-grouped tenth trained on,
     * that tenth scored as validation, as {@code train} does (preparation and validation included).
     */
    public static double epochSeconds(EncoderSource source, List<PreferencePair> pairs, int threads) {
        Split.Indices split = Split.byGroup(pairs, PreferencePair::prompt, 0.1, 42);
        FineTuneRun.Result result = FineTuneRun.train(source, select(pairs, split.kept()),
                select(pairs, split.heldOut()), FineTuneRecipe.defaults().withEpochs(1), threads,
                FineTuneRun.Listener.NONE, Checkpoint.none(), () -> false);
        return result.seconds();
    }

    private static List<PreferencePair> select(List<PreferencePair> pairs, int[] indices) {
        List<PreferencePair> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(pairs.get(i));
        }
        return out;
    }

    public static Result run(EncoderSource source, int threads, int batch, int runs, int forwardLength,
                             List<Integer> lengths) {
        try (TrainableEncoder encoder = TrainableEncoder.load(source, threads)) {
            List<TokenSequence> texts = sequences(batch, forwardLength, 1);
            Rate torch = rate(batch, time(runs, () -> encoder.embed(texts)));
            Rate ort;
            try (TextEncoder onnx = TextEncoder.load(source, threads, batch)) {
                ort = rate(batch, time(runs, () -> onnx.embed(texts)));
            }
            Map<Integer, Rate> fineTune = new LinkedHashMap<>();
            for (int length : lengths) {
                fineTune.put(length, train(encoder, batch, runs, length));
            }
            return new Result(fineTune, forwardLength, torch, ort, batch, runs, threads, peakRssMb());
        }
    }

    private static Rate train(TrainableEncoder encoder, int batch, int runs, int length) {
        List<TokenSequence> texts = sequences(batch, length, 2);
        PreferencePairs pairs = PreferencePairs.of(texts.subList(0, batch / 2), texts.subList(batch / 2, batch));
        // Tiny learning rates: the weights barely move, so every timed step does the same work.
        try (RewardFineTuner tuner = RewardFineTuner.withRandomHead(encoder, 1,
                new FineTuneOptions(1e-6f, 1e-6f, 0.01f, 1f, 0f))) {
            return rate(batch, time(runs, () -> tuner.step(pairs)));
        }
    }

    private static double[] time(int runs, Runnable work) {
        work.run();
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        return seconds;
    }

    private static Rate rate(int batch, double[] seconds) {
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        return new Rate(batch / sorted[0], batch / sorted[sorted.length / 2]);
    }

    private static long peakRssMb() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        try {
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Full-length [CLS] words [SEP] sequences of seeded random word ids. */
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
