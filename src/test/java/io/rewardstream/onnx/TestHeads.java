package io.rewardstream.onnx;

import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random heads for tests, and the small Java forward pass the ONNX graphs are checked against. */
final class TestHeads {

    private TestHeads() {
    }

    /** A head with the given layer widths, e.g. (384, 16, 1), and Gaussian weights scaled by 1/sqrt(in). */
    static HeadWeights random(long seed, Activation hidden, int... widths) {
        Random random = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            int in = widths[i];
            int out = widths[i + 1];
            float scale = (float) (1 / Math.sqrt(in));
            layers.add(new DenseLayer(in, out, gaussian(random, in * out, scale), gaussian(random, out, 0.1f)));
        }
        return new HeadWeights(layers, hidden);
    }

    private static float[] gaussian(Random random, int n, float scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return values;
    }

    /** The head's raw reward for each feature row, in float arithmetic. */
    static float[] forward(HeadWeights head, float[][] features) {
        float[] rewards = new float[features.length];
        for (int row = 0; row < features.length; row++) {
            float[] x = features[row];
            for (int i = 0; i < head.layers().size(); i++) {
                x = dense(head.layers().get(i), x);
                if (i < head.layers().size() - 1) {
                    activate(head.hidden(), x);
                }
            }
            rewards[row] = x[0];
        }
        return rewards;
    }

    private static float[] dense(DenseLayer layer, float[] x) {
        float[] y = layer.bias().clone();
        for (int r = 0; r < layer.in(); r++) {
            for (int c = 0; c < layer.out(); c++) {
                y[c] += x[r] * layer.weight(r, c);
            }
        }
        return y;
    }

    private static void activate(Activation activation, float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (activation) {
                case NONE -> x[i];
                case RELU -> Math.max(0f, x[i]);
                case TANH -> (float) Math.tanh(x[i]);
            };
        }
    }

    /** concat(y, p * y, |p - y|) per row, as the SEPARATE layout defines it. */
    static float[][] separateFeatures(float[][] prompt, float[][] response) {
        float[][] features = new float[prompt.length][];
        for (int row = 0; row < prompt.length; row++) {
            float[] p = prompt[row];
            float[] y = response[row];
            float[] f = new float[3 * y.length];
            for (int d = 0; d < y.length; d++) {
                f[d] = y[d];
                f[y.length + d] = p[d] * y[d];
                f[2 * y.length + d] = Math.abs(p[d] - y[d]);
            }
            features[row] = f;
        }
        return features;
    }
}
