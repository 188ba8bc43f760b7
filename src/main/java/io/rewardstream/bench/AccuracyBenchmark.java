package io.rewardstream.bench;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.data.Split;
import io.rewardstream.evaluation.LengthRule;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.evaluation.TemperatureScaling;
import io.rewardstream.head.Activation;
import io.rewardstream.head.RewardHead;
import io.rewardstream.learning.BradleyTerryTrainer;
import io.rewardstream.learning.TrainingOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * Held-out pairwise accuracy of reward-model recipes and of the two length rules, by repeated prompt-grouped
 * splits: split k holds out {@code testFraction} of the prompts (seed 1000 + k) as test pairs, trains on the rest
 * (with {@code testFraction} of the training prompts as the early-stopping validation set) and scores the test
 * pairs. Nothing about the test pairs is used before they are scored.
 */
public final class AccuracyBenchmark {

    /** Accuracy of one method over all splits. */
    public record Row(String method, double mean, double std, double[] perSplit) {
    }

    /** A trainable recipe on precomputed features. */
    public record Recipe(String method, EncodedPairs features, TrainingOptions options) {
    }

    private final int splits;
    private final double testFraction;

    public AccuracyBenchmark(int splits, double testFraction) {
        this.splits = splits;
        this.testFraction = testFraction;
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
            return RewardPairs.evaluate(head, all.select(test).features(), temperature).accuracy();
        });
    }

    private Row evaluate(String method, List<PreferencePair> pairs, ToDoubleBiFunction<int[], int[]> accuracy) {
        double[] perSplit = new double[splits];
        for (int k = 0; k < splits; k++) {
            Split.Indices split = Split.byGroup(pairs, PreferencePair::prompt, testFraction, 1000 + k);
            perSplit[k] = accuracy.applyAsDouble(split.kept(), split.heldOut());
        }
        double mean = Arrays.stream(perSplit).average().orElse(Double.NaN);
        double variance = Arrays.stream(perSplit).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, splits - 1);
        return new Row(method, mean, Math.sqrt(variance), perSplit);
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
