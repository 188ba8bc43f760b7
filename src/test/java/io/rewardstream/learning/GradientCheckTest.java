package io.rewardstream.learning;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.head.Activation;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The analytic gradient of the Bradley-Terry loss (with margin and centering) against central differences. */
class GradientCheckTest {

    @ParameterizedTest(name = "hidden {0}, {1}")
    @CsvSource({"0, NONE", "5, TANH", "5, RELU"})
    void shouldMatchFiniteDifferencesForEveryParameter(int hidden, Activation activation) {
        int width = 6;
        FeaturePairs pairs = randomPairs(new Random(3), 8, width);
        TrainingOptions options = TrainingOptions.defaults(11).withHead(hidden, activation).withCentering(0.05);
        FlatHead head = new FlatHead(width, hidden, activation, 11);
        Random random = new Random(5);
        for (int k = 0; k < head.params.length; k++) {
            head.params[k] += (float) (random.nextGaussian() * 0.3);
        }
        int[] order = {0, 1, 2, 3, 4, 5, 6, 7};
        PairGradient gradient = new PairGradient(head, options);
        gradient.accumulate(pairs, order, 0, order.length);
        float[] analytic = gradient.grad().clone();

        double step = 1e-2;
        for (int k = 0; k < head.params.length; k++) {
            float saved = head.params[k];
            head.params[k] = (float) (saved + step);
            double plus = new PairGradient(head, options).accumulate(pairs, order, 0, order.length);
            head.params[k] = (float) (saved - step);
            double minus = new PairGradient(head, options).accumulate(pairs, order, 0, order.length);
            head.params[k] = saved;
            double numeric = (plus - minus) / (2 * step);
            assertThat((double) analytic[k]).as("parameter %d", k)
                    .isCloseTo(numeric, Offset.offset(2e-3 + 2e-2 * Math.abs(numeric)));
        }
    }

    static FeaturePairs randomPairs(Random random, int n, int width) {
        float[][] c = new float[n][width];
        float[][] r = new float[n][width];
        float[] margins = new float[n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < width; d++) {
                c[i][d] = (float) random.nextGaussian();
                r[i][d] = (float) random.nextGaussian();
            }
            margins[i] = i % 2 == 0 ? 0.5f : Float.NaN;
        }
        return new FeaturePairs(c, r, margins);
    }
}
