package io.rewardstream.bench;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.data.Split;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.evaluation.LengthRule;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.evaluation.TemperatureScaling;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.learning.BradleyTerryTrainer;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.finetune.Checkpoint;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import io.rewardstream.learning.finetune.FineTuneRun;
import io.rewardstream.learning.finetune.FrozenStates;
import io.rewardstream.model.FeatureExtractor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleBiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held-out pairwise accuracy of reward-model recipes and of the two length rules, by repeated prompt-grouped
 * splits: split k holds out {@code testFraction} of the prompts (seed 1000 + k) as test pairs, trains on the rest
 * (with {@code testFraction} of the training prompts as the early-stopping validation set) and scores the test
 * pairs. Nothing about the test pairs is used before they are scored. Fine-tuning recipes ({@link #fineTune}) run
 * on the same splits and the same inner validation split.
 */
public final class AccuracyBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(AccuracyBenchmark.class);

    /**
     * Accuracy of one method over all splits.
     *
     * @param secondsPerSplit wall time of each split's run (fine-tuning rows; empty for the others)
     * @param bestEpochs      the epoch each split's fine-tuning run kept (empty for the others)
     */
    public record Row(String method, double mean, double std, double[] perSplit, double[] secondsPerSplit,
                      int[] bestEpochs) {

        Row(String method, double[] perSplit) {
            this(method, AccuracyBenchmark.mean(perSplit), AccuracyBenchmark.std(perSplit), perSplit, new double[0],
                    new int[0]);
        }
    }

    /** One split's fine-tuning outcome: test accuracy, wall time and the epoch kept. */
    private record FineTuned(double accuracy, double seconds, int bestEpoch) {
    }

    /**
     * A trainable recipe on precomputed features.
     *
     * @param served the features the test pairs are scored on, when they differ from the training ones (the same
     *               pairs in the same order encoded as a scorer serves them, e.g. at another precision); null for
     *               the training features
     */
    public record Recipe(String method, EncodedPairs features, TrainingOptions options, EncodedPairs served) {

        public Recipe(String method, EncodedPairs features, TrainingOptions options) {
            this(method, features, options, null);
        }

        /** The same recipe, its test pairs scored on {@code served} features, under {@code method}. */
        public Recipe servedOn(EncodedPairs servedFeatures, String servedMethod) {
            return new Recipe(servedMethod, features, options, servedFeatures);
        }
    }

    private final int splits;
    private final double testFraction;
    private final int firstSplit;

    public AccuracyBenchmark(int splits, double testFraction) {
        this(splits, testFraction, 0);
    }

    /**
     * @param firstSplit the number of the first split: splits {@code firstSplit} to {@code firstSplit + splits - 1}
     *                   are run, so that a long measurement can be run in parts with the same results
     */
    public AccuracyBenchmark(int splits, double testFraction, int firstSplit) {
        this.splits = splits;
        this.testFraction = testFraction;
        this.firstSplit = firstSplit;
    }

    public Row lengthRule(String method, List<PreferencePair> pairs, int sign) {
        return evaluate(method, pairs, (kept, test) -> LengthRule.accuracy(Arrays.stream(test).mapToObj(pairs::get)
                .toList(), sign));
    }

    public Row recipe(Recipe recipe) {
        EncodedPairs all = recipe.features();
        return evaluate(recipe.method(), all.pairs(), (kept, test) -> {
            EncodedPairs trainAll = all.select(kept);
            Split.Indices inner = Split.byGroup(trainAll.pairs(), PreferencePair::prompt, testFraction, 7);
            EncodedPairs train = trainAll.select(inner.kept());
            EncodedPairs validation = trainAll.select(inner.heldOut());
            BradleyTerryTrainer.Result result = new BradleyTerryTrainer(recipe.options())
                    .train(train.features(), validation.features(), (e, m, t, v) -> { });
            RewardHead head = new RewardHead(result.head());
            double temperature = TemperatureScaling.fit(RewardPairs.gaps(head, validation.features()));
            EncodedPairs scored = recipe.served() == null ? all : recipe.served();
            return RewardPairs.evaluate(head, scored.select(test).features(), temperature).accuracy();
        });
    }

    /**
     * A fine-tuning recipe over the same splits: split k's training side is split again by prompt (seed 7, as the
     * frozen rows do) into training and early-stopping validation pairs; the test pairs are scored by the written-back
     * graph in ONNX Runtime with the trained head, as a model directory would serve them.
     *
     * @param frozen the frozen encoder's states for all pairs, computed once for this recipe's training
     */
    public Row fineTune(String method, EncoderSource encoder, List<PreferencePair> pairs, FineTuneRecipe recipe,
                        FrozenStates frozen, int threads, FineTuneRun.Listener listener) {
        double[] perSplit = new double[splits];
        double[] seconds = new double[splits];
        int[] bestEpochs = new int[splits];
        for (int k = 0; k < splits; k++) {
            Split.Indices split = Split.byGroup(pairs, PreferencePair::prompt, testFraction, 1000 + firstSplit + k);
            FineTuned run = fineTuneSplit(encoder, select(pairs, split.kept()), select(pairs, split.heldOut()), recipe,
                    frozen, threads, listener);
            perSplit[k] = run.accuracy();
            seconds[k] = run.seconds();
            bestEpochs[k] = run.bestEpoch();
            LOG.info("{}: split {} accuracy {} in {} s (best epoch {})", method, firstSplit + k, String.format("%.4f",
                    run.accuracy()), String.format("%.0f", run.seconds()), run.bestEpoch());
        }
        return new Row(method, mean(perSplit), std(perSplit), perSplit, seconds, bestEpochs);
    }

    private FineTuned fineTuneSplit(EncoderSource encoder, List<PreferencePair> trainAll, List<PreferencePair> test,
                                    FineTuneRecipe recipe, FrozenStates frozen, int threads,
                                    FineTuneRun.Listener listener) {
        Split.Indices inner = Split.byGroup(trainAll, PreferencePair::prompt, testFraction, 7);
        FineTuneRun.Result result = FineTuneRun.train(encoder, select(trainAll, inner.kept()),
                select(trainAll, inner.heldOut()), recipe, threads, listener, Checkpoint.none(), () -> false, frozen);
        RewardHead head = new RewardHead(new HeadWeights(List.of(new DenseLayer(result.headWeights().length, 1,
                result.headWeights(), new float[] {result.headBias()})), Activation.NONE));
        try (TextEncoder served = TextEncoder.load(result.encoder(), threads, TextEncoder.DEFAULT_BATCH_SIZE)) {
            FeatureExtractor extractor = new FeatureExtractor(served, FeatureLayout.JOINT, recipe.maxLength());
            EncodedPairs scored = EncodedPairs.encode(extractor, test, (done, total) -> { });
            double accuracy = RewardPairs.evaluate(head, scored.features(), 1.0).accuracy();
            return new FineTuned(accuracy, result.seconds(), result.bestEpoch());
        }
    }

    private static List<PreferencePair> select(List<PreferencePair> pairs, int[] indices) {
        return Arrays.stream(indices).mapToObj(pairs::get).toList();
    }

    private Row evaluate(String method, List<PreferencePair> pairs, ToDoubleBiFunction<int[], int[]> accuracy) {
        double[] perSplit = new double[splits];
        for (int k = 0; k < splits; k++) {
            Split.Indices split = Split.byGroup(pairs, PreferencePair::prompt, testFraction, 1000 + firstSplit + k);
            perSplit[k] = accuracy.applyAsDouble(split.kept(), split.heldOut());
        }
        return new Row(method, perSplit);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (n - 1). */
    private static double std(double[] values) {
        double mean = mean(values);
        double squares = Arrays.stream(values).map(a -> (a - mean) * (a - mean)).sum();
        return Math.sqrt(squares / Math.max(1, values.length - 1));
    }

    /** The recipes compared for one encoder's separate-layout features. */
    public static List<Recipe> headRecipes(String encoder, EncodedPairs separate, long seed) {
        TrainingOptions linear = TrainingOptions.defaults(seed);
        List<Recipe> recipes = new ArrayList<>();
        recipes.add(new Recipe("linear head, " + encoder + ", separate [y, p*y, abs(p-y)]", separate, linear));
        recipes.add(new Recipe("MLP head (32 tanh), " + encoder + ", separate", separate,
                linear.withHead(32, Activation.TANH)));
        return recipes;
    }
}
