package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.TrainBenchmark;
import io.rewardstream.head.Activation;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench train}: head training wall time on cached features. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Head training time for 10,000 and 100,000 pairs of cached features (default recipe).")
final class BenchTrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "0", description = "Hidden units (0: the default linear head).")
    int hidden;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

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
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("head training on %d-wide cached features, hidden %d, %d cores%n", width, hidden,
                    Runtime.getRuntime().availableProcessors());
            for (TrainBenchmark.Row row : new TrainBenchmark.Row[] {small, large}) {
                out.printf("%,8d pairs: %6.2f s (%d epochs, early stopping)%n", row.pairs(), row.seconds(), row.epochs());
            }
        }
        out.flush();
        return Main.OK;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
