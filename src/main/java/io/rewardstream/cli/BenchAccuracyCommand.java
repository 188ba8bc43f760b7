package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.AccuracyBenchmark;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.JsonLines;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.Precision;
import io.rewardstream.runtime.Device;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.finetune.EncoderTraining;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import io.rewardstream.learning.finetune.FineTuneRun;
import io.rewardstream.learning.finetune.FrozenStates;
import io.rewardstream.model.FeatureExtractor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--served-precision", paramLabel = "fp32|int8",
            description = "Also score each frozen row's test pairs on features encoded at this precision (the heads"
                    + " still train on fp32 features), as a scorer with scoring.precision set so serves them.")
    String servedPrecision;

    @Option(names = "--joint", description = "Also measure the joint layout with the first encoder.")
    boolean joint;

    @Option(names = "--splits", defaultValue = "5", description = "Number of random prompt-grouped splits.")
    int splits;

    @Option(names = "--first-split", defaultValue = "0",
            description = "Number of the first split (seed 1000 + it): run a long table in parts. Default: 0.")
    int firstSplit;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "Share of prompts held out per split.")
    double testFraction;

    @Option(names = "--max-length", defaultValue = "256", description = "Encoder sequence limit.")
    int maxLength;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (0: one per core).")
    int threads;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Option(names = "--finetune", paramLabel = "RECIPE",
            description = "Also fine-tune the encoder with this recipe on every split (repeatable): 'default', or"
                    + " full|top-N followed by ,key=value changes to the default recipe of --finetune-encoder, e.g."
                    + " top-2,epochs=2,lr=5e-5. The default recipe in full: see FineTuneRecipe.describe().")
    List<String> fineTune = new ArrayList<>();

    @Option(names = "--finetune-encoder", defaultValue = EncoderSource.DEFAULT,
            description = "Encoder the --finetune recipes start from. Default: ${DEFAULT-VALUE}.")
    String fineTuneEncoder;

    @Option(names = "--no-frozen", description = "Skip the frozen-encoder rows (the length rules stay).")
    boolean noFrozen;

    @Override
    public Integer call() throws Exception {
        List<FineTuneRecipe> recipes = recipes();
        Precision servedAt = servedPrecision();
        JsonLines.Read<PreferencePair> read = PairFile.read(pairs, false);
        if (read.records().size() < 20) {
            throw new BadInputException(pairs + ": too few usable pairs for an accuracy table");
        }
        List<PreferencePair> all = read.records();
        AccuracyBenchmark bench = new AccuracyBenchmark(splits, testFraction, firstSplit);
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        List<AccuracyBenchmark.Row> rows = new ArrayList<>();
        rows.add(bench.lengthRule("shorter response wins", all, -1));
        rows.add(bench.lengthRule("longer response wins", all, 1));
        for (int e = 0; !noFrozen && e < encoders.size(); e++) {
            EncoderSource source = EncoderSource.resolve(encoders.get(e));
            try (TextEncoder encoder = TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE)) {
                EncodedPairs separate = encode(encoder, FeatureLayout.SEPARATE, all, progress);
                EncodedPairs served = served(source, servedAt, all, progress);
                for (AccuracyBenchmark.Recipe recipe : AccuracyBenchmark.headRecipes(source.name(), separate, 42)) {
                    rows.add(bench.recipe(recipe));
                    if (served != null) {
                        rows.add(bench.recipe(recipe.servedOn(served, recipe.method() + ", served " + servedPrecision)));
                    }
                }
                if (joint && e == 0) {
                    EncodedPairs jointPairs = encode(encoder, FeatureLayout.JOINT, all, progress);
                    rows.add(bench.recipe(new AccuracyBenchmark.Recipe("linear head, " + source.name()
                            + ", joint", jointPairs, TrainingOptions.defaults(42))));
                }
            }
        }
        rows.addAll(fineTuneRows(bench, all, recipes, progress));
        progress.finishLine();
        print(rows, all.size());
        return Main.OK;
    }

    private Precision servedPrecision() {
        try {
            return servedPrecision == null ? null : Precision.parse("--served-precision", servedPrecision);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** The pairs' separate features at {@code precision}, or null when it is null. */
    private EncodedPairs served(EncoderSource source, Precision precision, List<PreferencePair> all,
                                Progress progress) {
        if (precision == null) {
            return null;
        }
        try (TextEncoder encoder = TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE, Device.CPU,
                precision)) {
            return encode(encoder, FeatureLayout.SEPARATE, all, progress);
        }
    }

    /** The --finetune recipes, read before anything runs. */
    private List<FineTuneRecipe> recipes() {
        List<FineTuneRecipe> recipes = new ArrayList<>();
        for (String text : fineTune) {
            try {
                FineTuneRecipe base = FineTuneRecipe.defaultsFor(fineTuneEncoder);
                FineTuneRecipe recipe = text.equals("default") ? base : FineTuneRecipe.parse(text, base);
                if (recipe.training().kind() == EncoderTraining.Kind.FROZEN) {
                    throw new IllegalArgumentException("a frozen encoder is measured by the frozen rows");
                }
                recipes.add(recipe);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--finetune " + text + ": " + e.getMessage());
            }
        }
        return recipes;
    }

    private List<AccuracyBenchmark.Row> fineTuneRows(AccuracyBenchmark bench, List<PreferencePair> all,
                                                     List<FineTuneRecipe> recipes, Progress progress) {
        List<AccuracyBenchmark.Row> rows = new ArrayList<>();
        if (recipes.isEmpty()) {
            return rows;
        }
        EncoderSource source = EncoderSource.resolve(fineTuneEncoder);
        int torchThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Map<String, FrozenStates> prepared = new LinkedHashMap<>();
        for (FineTuneRecipe recipe : recipes) {
            String key = recipe.training().label() + "/" + recipe.maxLength();
            FrozenStates frozen = prepared.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("/" + recipe.maxLength()) && e.getValue().serves(recipe))
                    .map(Map.Entry::getValue).findFirst().orElseGet(() -> {
                        progress.update("frozen states for " + key, 0, 1, "");
                        FrozenStates computed = FineTuneRun.prepare(source, all, recipe, torchThreads);
                        prepared.put(key, computed);
                        return computed;
                    });
            String method = "fine-tuned " + source.name() + ", joint, " + recipe.difference();
            rows.add(bench.fineTune(method, source, all, recipe, frozen, torchThreads, new FineTuneRun.Listener() {
                @Override
                public void onStep(int epoch, int step, int stepsPerEpoch, double loss) {
                    // The task name stays the same through an epoch, so that the ETA is measured over all of it.
                    progress.update(recipe.training().label() + " epoch " + epoch, step, stepsPerEpoch,
                            String.format(Locale.ROOT, "loss %.3f", loss));
                }

                @Override
                public void onEpoch(FineTuneRun.EpochReport report) {
                }
            }));
        }
        return rows;
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
            result.put("first_split", firstSplit);
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
                StringBuilder time = new StringBuilder();
                for (int k = 0; k < row.secondsPerSplit().length; k++) {
                    time.append(String.format(" %.0fs/e%d", row.secondsPerSplit()[k], row.bestEpochs()[k]));
                }
                out.printf("| %-60s | %.3f ± %.3f  | %s|%s%n", row.method(), row.mean(), row.std(), each, time);
            }
        }
        out.flush();
    }
}
