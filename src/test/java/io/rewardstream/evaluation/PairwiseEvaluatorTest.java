package io.rewardstream.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairwiseEvaluatorTest {

    @Test
    void shouldCountTiesAsHalfAndComputeLogLoss() {
        PairwiseMetrics m = PairwiseEvaluator.evaluate(new double[] {1, 0, 2, 0}, new double[] {0, 0, 3, -1},
                new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, null, 1.0);

        assertThat(m.accuracy()).isEqualTo((1 + 0.5 + 0 + 1) / 4.0);
        double expected = (Math.log1p(Math.exp(-1)) + Math.log(2) + Math.log1p(Math.exp(1)) + Math.log1p(Math.exp(-1))) / 4;
        assertThat(m.logLoss()).isCloseTo(expected, within(1e-12));
        assertThat(m.rewardMean()).isCloseTo(5.0 / 8, within(1e-12));
    }

    @Test
    void shouldRecoverTheTemperatureOfDataDrawnFromABradleyTerryModel() {
        Random random = new Random(1);
        int n = 20000;
        double trueTemperature = 2.5;
        double[] gaps = new double[n];
        for (int i = 0; i < n; i++) {
            double gap = random.nextGaussian() * 4;
            boolean firstWins = random.nextDouble() < 1 / (1 + Math.exp(-gap / trueTemperature));
            gaps[i] = firstWins ? gap : -gap;
        }

        double fitted = TemperatureScaling.fit(gaps);

        assertThat(fitted).isCloseTo(trueTemperature, within(0.15));
        assertThat(PairwiseEvaluator.ece(gaps, fitted)).isLessThan(0.02);
        assertThat(PairwiseEvaluator.ece(gaps, fitted / 4)).isGreaterThan(0.1);
    }

    @Test
    void shouldRankCorrelateRewardWithLengthAndGapWithMargin() {
        PairwiseMetrics m = PairwiseEvaluator.evaluate(new double[] {4, 3}, new double[] {2, 1},
                new int[] {40, 30}, new int[] {20, 10}, new double[] {2.0, Double.NaN}, 1.0);
        PairwiseMetrics margins = PairwiseEvaluator.evaluate(new double[] {1, 3, 2}, new double[] {0, 0, 0},
                new int[] {1, 1, 1}, new int[] {2, 2, 2}, new double[] {0.1, 0.9, 0.5}, 1.0);

        assertThat(m.lengthCorrelation()).isCloseTo(1.0, within(1e-12));
        assertThat(m.marginCorrelation()).isNaN();
        assertThat(margins.marginCorrelation()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shouldGiveTiedValuesTheirAverageRank() {
        assertThat(Correlation.ranks(new double[] {10, 20, 10, 30})).containsExactly(1.5, 3, 1.5, 4);
    }
}
