package io.rewardstream.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.head.Activation;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BradleyTerryTrainerTest {

    /** Pairs whose preference is decided by the sign of a hidden linear rule, without noise. */
    private static FeaturePairs separable(long seed, int n, int width) {
        Random random = new Random(seed);
        float[][] c = new float[n][width];
        float[][] r = new float[n][width];
        for (int i = 0; i < n; i++) {
            float[] a = new float[width];
            float[] b = new float[width];
            for (int d = 0; d < width; d++) {
                a[d] = (float) random.nextGaussian();
                b[d] = (float) random.nextGaussian();
            }
            boolean aWins = a[0] - a[1] + 0.5f * a[2] > b[0] - b[1] + 0.5f * b[2];
            c[i] = aWins ? a : b;
            r[i] = aWins ? b : a;
        }
        return new FeaturePairs(c, r, null);
    }

    private static double accuracy(HeadWeights weights, FeaturePairs pairs) {
        RewardHead head = new RewardHead(weights);
        int correct = 0;
        for (int i = 0; i < pairs.size(); i++) {
            correct += head.score(pairs.chosen()[i]) > head.score(pairs.rejected()[i]) ? 1 : 0;
        }
        return (double) correct / pairs.size();
    }

    @Test
    void shouldLearnASeparableRuleAlmostPerfectly() {
        FeaturePairs train = separable(1, 2000, 10);
        FeaturePairs validation = separable(2, 300, 10);
        FeaturePairs test = separable(3, 1000, 10);
        TrainingOptions options = new TrainingOptions(0, Activation.NONE, 1e-2, 0, 64, 300, 20, 0, true, 9);

        BradleyTerryTrainer.Result result = new BradleyTerryTrainer(options).train(train, validation, (e, m, t, v) -> { });

        assertThat(accuracy(result.head(), test)).isGreaterThan(0.98);
    }

    @Test
    void shouldLearnTheSameRuleWithAHiddenLayer() {
        FeaturePairs train = separable(4, 2000, 10);
        TrainingOptions options = new TrainingOptions(16, Activation.TANH, 3e-3, 0, 64, 300, 20, 0, true, 9);

        BradleyTerryTrainer.Result result = new BradleyTerryTrainer(options)
                .train(train, separable(5, 300, 10), (e, m, t, v) -> { });

        assertThat(accuracy(result.head(), separable(6, 1000, 10))).isGreaterThan(0.95);
    }

    @Test
    void shouldGiveIdenticalHeadsForTheSameSeedAndDifferentOnesForAnother() {
        FeaturePairs train = separable(7, 500, 8);
        FeaturePairs validation = separable(8, 100, 8);
        TrainingOptions options = TrainingOptions.defaults(21).withHead(4, Activation.TANH);

        HeadWeights first = new BradleyTerryTrainer(options).train(train, validation, (e, m, t, v) -> { }).head();
        HeadWeights again = new BradleyTerryTrainer(options).train(train, validation, (e, m, t, v) -> { }).head();
        HeadWeights other = new BradleyTerryTrainer(options.withSeed(22)).train(train, validation, (e, m, t, v) -> { })
                .head();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldWidenTheRewardGapOfPairsWithALargerMargin() {
        FeaturePairs base = separable(10, 1000, 6);
        float[] margins = new float[base.size()];
        Arrays.fill(margins, 2f);
        FeaturePairs withMargin = new FeaturePairs(base.chosen(), base.rejected(), margins);
        TrainingOptions options = new TrainingOptions(0, Activation.NONE, 1e-2, 0, 64, 100, 10, 0, true, 3);

        HeadWeights plain = new BradleyTerryTrainer(options).train(base, base, (e, m, t, v) -> { }).head();
        HeadWeights margined = new BradleyTerryTrainer(options).train(withMargin, withMargin, (e, m, t, v) -> { }).head();

        assertThat(meanGap(margined, base)).isGreaterThan(meanGap(plain, base) + 1.0);
    }

    @Test
    void shouldPullMeanRewardTowardsZeroWithCentering() {
        FeaturePairs base = separable(12, 1000, 6);
        float[][] shifted = new float[base.size()][];
        float[][] shiftedRejected = new float[base.size()][];
        for (int i = 0; i < base.size(); i++) {
            shifted[i] = base.chosen()[i].clone();
            shiftedRejected[i] = base.rejected()[i].clone();
            shifted[i][0] += 2f;
            shiftedRejected[i][0] += 2f;
        }
        FeaturePairs pairs = new FeaturePairs(shifted, shiftedRejected, null);
        TrainingOptions plain = new TrainingOptions(0, Activation.NONE, 1e-2, 0, 64, 60, 60, 0, true, 3);

        HeadWeights uncentered = new BradleyTerryTrainer(plain).train(pairs, pairs, (e, m, t, v) -> { }).head();
        HeadWeights centered = new BradleyTerryTrainer(plain.withCentering(0.5)).train(pairs, pairs, (e, m, t, v) -> { })
                .head();

        assertThat(Math.abs(meanReward(centered, pairs))).isLessThan(Math.abs(meanReward(uncentered, pairs)));
        assertThat(Math.abs(meanReward(centered, pairs))).isLessThan(0.2);
    }

    private static double meanGap(HeadWeights weights, FeaturePairs pairs) {
        RewardHead head = new RewardHead(weights);
        double sum = 0;
        for (int i = 0; i < pairs.size(); i++) {
            sum += head.score(pairs.chosen()[i]) - head.score(pairs.rejected()[i]);
        }
        return sum / pairs.size();
    }

    private static double meanReward(HeadWeights weights, FeaturePairs pairs) {
        RewardHead head = new RewardHead(weights);
        double sum = 0;
        for (int i = 0; i < pairs.size(); i++) {
            sum += head.score(pairs.chosen()[i]) + head.score(pairs.rejected()[i]);
        }
        return sum / (2 * pairs.size());
    }
}
