package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.AccuracyBenchmark;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.JsonLines;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.model.FeatureExtractor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench accuracy}: the README's accuracy table, reproduced on a pairs file. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Held-out pairwise accuracy of the model recipes against the length rules, over repeated"
                + " prompt-grouped splits.")
final class BenchAccuracyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pairs", defaultValue = "../shared/data/hh-rlhf-harmless-4k.jsonl", paramLabel = "FILE.jsonl",
            description = "Preference pairs. Default: ${DEFAULT-VALUE}.")
    Path pairs;

    @Option(names = "--encoders", split = ",", defaultValue = EncoderSource.DEFAULT,
            description = "Encoders to compare (comma-separated). Default: ${DEFAULT-VALUE}.")
    List<String> encoders;

    @Option(names = "--joint", description = "Also measure the joint layout with the first encoder.")
    boolean joint;

    @Option(names = "--splits", defaultValue = "5", description = "Number of random prompt-grouped splits.")
    int splits;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "Share of prompts held out per split.")
    double testFraction;

    @Option(names = "--max-length", defaultValue = "256", description = "Encoder sequence limit.")
    int maxLength;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (0: one per core).")
    int threads;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        JsonLines.Read<PreferencePair> read = PairFile.read(pairs, false);
        if (read.records().size() < 20) {
            throw new BadInputException(pairs + ": too few usable pairs for an accuracy table");
        }
        List<PreferencePair> all = read.records();
        AccuracyBenchmark bench = new AccuracyBenchmark(splits, testFraction);
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        List<AccuracyBenchmark.Row> rows = new ArrayList<>();
        rows.add(bench.lengthRule("shorter response wins", all, -1));
        rows.add(bench.lengthRule("longer response wins", all, 1));
        for (int e = 0; e < encoders.size(); e++) {
            EncoderSource source = EncoderSource.resolve(encoders.get(e));
            try (TextEncoder encoder = TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE)) {
                EncodedPairs separate = encode(encoder, FeatureLayout.SEPARATE, all, progress);
                for (AccuracyBenchmark.Recipe recipe : AccuracyBenchmark.headRecipes(source.name(), separate, 42)) {
                    rows.add(bench.recipe(recipe));
                }
                if (joint && e == 0) {
                    EncodedPairs jointPairs = encode(encoder, FeatureLayout.JOINT, all, progress);
                    rows.add(bench.recipe(new AccuracyBenchmark.Recipe("linear head, " + source.name()
                            + ", joint", jointPairs, TrainingOptions.defaults(42))));
                }
            }
        }
        progress.finishLine();
        print(rows, all.size());
        return Main.OK;
    }

    private EncodedPairs encode(TextEncoder encoder, FeatureLayout layout, List<PreferencePair> all, Progress progress) {
        FeatureExtractor extractor = new FeatureExtractor(encoder, layout, maxLength);
        String task = "encoding " + encoder.source().name() + " " + layout.manifestName();
        return EncodedPairs.encode(extractor, all, (done, total) -> progress.update(task, done, total, ""));
    }

    private void print(List<AccuracyBenchmark.Row> rows, int pairCount) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("pairs", pairCount);
            result.put("splits", splits);
            result.put("test_fraction", testFraction);
            result.put("rows", rows);
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("%d pairs, %d prompt-grouped splits, %.0f%% of prompts held out per split%n", pairCount, splits,
                    testFraction * 100);
            out.printf("| %-60s | %-14s | %s |%n", "method", "accuracy", "per split");
            out.printf("|%s|%s|%s|%n", "-".repeat(62), "-".repeat(16), "-".repeat(splits * 6 + 1));
            for (AccuracyBenchmark.Row row : rows) {
                StringBuilder each = new StringBuilder();
                for (double a : row.perSplit()) {
                    each.append(String.format("%.3f ", a));
                }
                out.printf("| %-60s | %.3f ± %.3f  | %s|%n", row.method(), row.mean(), row.std(), each);
            }
        }
        out.flush();
    }
}
