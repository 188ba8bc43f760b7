package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.FineTuneBenchmark;
import io.rewardstream.bench.TrainBenchmark;
import io.rewardstream.data.PairFile;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.Activation;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench train}: head training wall time on cached features, and the speed of fine-tuning the encoder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Head training time for 10,000 and 100,000 pairs of cached features (default recipe), and"
                + " fine-tuning speed of the default encoder at 128 and 256 tokens next to its forward-only speed.")
final class BenchTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "0", description = "Hidden units (0: the default linear head).")
    int hidden;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Option(names = "--fine-tune", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also measure fine-tuning speed (about two minutes; --no-fine-tune skips it).")
    boolean fineTune;

    @Option(names = "--threads", defaultValue = "2", description = "Threads of the fine-tuning measurement.")
    int threads;

    @Option(names = "--runs", defaultValue = "6", description = "Timed runs per fine-tuning figure (best and median).")
    int runs;

    @Option(names = "--epoch-pairs", paramLabel = "FILE.jsonl",
            description = "Also time one epoch of the default fine-tuning recipe over these pairs (e.g. the shared"
                    + " HH-RLHF pairs; ten minutes or more on 2 cores).")
    Path epochPairs;

    @Override
    public Integer call() throws Exception {
        int width = FeatureLayout.SEPARATE.featureWidth(384);
        TrainingOptions options = TrainingOptions.defaults(42);
        if (hidden > 0) {
            options = options.withHead(hidden, Activation.TANH);
        }
        TrainBenchmark.run(2_000, width, 1, options);
        TrainBenchmark.Row small = TrainBenchmark.run(10_000, width, 2, options);
        TrainBenchmark.Row large = TrainBenchmark.run(100_000, width, 3, options);
        FineTuneBenchmark.Result tune = fineTune ? FineTuneBenchmark.run(EncoderSource.resolve(EncoderSource.DEFAULT),
                threads, 16, runs, 128, List.of(128, 256)) : null;
        Double epoch = epochPairs == null ? null : FineTuneBenchmark.epochSeconds(
                EncoderSource.resolve(EncoderSource.DEFAULT), PairFile.read(epochPairs, false).records(), threads);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("train_10k_s", round(small.seconds()));
            result.put("train_100k_s", round(large.seconds()));
            result.put("epochs_10k", small.epochs());
            result.put("epochs_100k", large.epochs());
            result.put("feature_width", width);
            result.put("hidden", hidden);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            if (tune != null) {
                for (var entry : tune.fineTune().entrySet()) {
                    result.put("finetune_seq_per_s_" + entry.getKey(), round(entry.getValue().best()));
                    result.put("finetune_seq_per_s_" + entry.getKey() + "_median", round(entry.getValue().median()));
                }
                result.put("forward_seq_per_s_" + tune.forwardLength(), round(tune.forwardTorch().best()));
                result.put("forward_ort_seq_per_s_" + tune.forwardLength(), round(tune.forwardOrt().best()));
                result.put("finetune_batch", tune.batch());
                result.put("finetune_threads", tune.threads());
                result.put("peak_rss_mb", tune.peakRssMb());
            }
            if (epoch != null) {
                result.put("finetune_epoch_s", round(epoch));
            }
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("head training on %d-wide cached features, hidden %d, %d cores%n", width, hidden,
                    Runtime.getRuntime().availableProcessors());
            for (TrainBenchmark.Row row : new TrainBenchmark.Row[] {small, large}) {
                out.printf("%,8d pairs: %6.2f s (%d epochs, early stopping)%n", row.pairs(), row.seconds(), row.epochs());
            }
            if (tune != null) {
                out.printf("fine-tuning all parameters of %s, batch %d sequences, %d threads (best / median of %d"
                        + " runs):%n", EncoderSource.DEFAULT, tune.batch(), tune.threads(), tune.runs());
                tune.fineTune().forEach((length, rate) -> out.printf("  %3d tokens: %6.2f / %6.2f sequences/s"
                        + " (forward + backward + update)%n", length, rate.best(), rate.median()));
                out.printf("  forward only at %d tokens: %6.2f / %6.2f sequences/s in PyTorch, %6.2f / %6.2f in"
                        + " ONNX Runtime%n", tune.forwardLength(), tune.forwardTorch().best(),
                        tune.forwardTorch().median(), tune.forwardOrt().best(), tune.forwardOrt().median());
                out.printf("  peak resident memory %d MiB%n", tune.peakRssMb());
            }
            if (epoch != null) {
                out.printf("one epoch of the default recipe over %s: %.0f s%n", epochPairs.getFileName(), epoch);
            }
        }
        out.flush();
        return Main.OK;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
