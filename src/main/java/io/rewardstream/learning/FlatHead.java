package io.rewardstream.learning;

import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A reward head during training: linear (hidden = 0) or one hidden layer, with all parameters in one flat array
 * so the optimiser treats them alike. Layout: W1 [in][hidden], b1 [hidden], w2 [hidden], b2 [1]; or, when
 * linear, w [in], b [1].
 */
final class FlatHead {

    final int in;
    final int hidden;
    final Activation activation;
    final float[] params;

    FlatHead(int in, int hidden, Activation activation, long seed) {
        this.in = in;
        this.hidden = hidden;
        this.activation = activation;
        this.params = new float[size(in, hidden)];
        if (hidden > 0) {
            Random random = new Random(seed);
            float scale = (float) Math.sqrt(6.0 / (in + hidden));
            for (int k = 0; k < in * hidden; k++) {
                params[k] = (random.nextFloat() * 2f - 1f) * scale;
            }
            float outScale = (float) Math.sqrt(6.0 / (hidden + 1));
            for (int j = 0; j < hidden; j++) {
                params[in * hidden + hidden + j] = (random.nextFloat() * 2f - 1f) * outScale;
            }
        }
    }

    static int size(int in, int hidden) {
        return hidden == 0 ? in + 1 : in * hidden + hidden + hidden + 1;
    }

    /** Whether parameter k is a weight (decayed) rather than a bias (not decayed). */
    boolean isWeight(int k) {
        if (hidden == 0) {
            return k < in;
        }
        int w1 = in * hidden;
        return k < w1 || (k >= w1 + hidden && k < w1 + 2 * hidden);
    }

    /** Reward of x; {@code scratch} (length hidden) receives the hidden activations for {@link #backward}. */
    float forward(float[] x, float[] scratch) {
        if (hidden == 0) {
            float r = params[in];
            for (int i = 0; i < in; i++) {
                r += params[i] * x[i];
            }
            return r;
        }
        int b1 = in * hidden;
        System.arraycopy(params, b1, scratch, 0, hidden);
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            if (xi == 0f) {
                continue;
            }
            int row = i * hidden;
            for (int j = 0; j < hidden; j++) {
                scratch[j] += xi * params[row + j];
            }
        }
        int w2 = b1 + hidden;
        float r = params[w2 + hidden];
        for (int j = 0; j < hidden; j++) {
            scratch[j] = activation.apply(scratch[j]);
            r += scratch[j] * params[w2 + j];
        }
        return r;
    }

    /** Adds dLoss/dParams to {@code grad}, given dLoss/dReward and the scratch left by {@link #forward}. */
    void backward(float[] x, float[] scratch, float dReward, float[] grad, float[] hiddenGrad) {
        if (hidden == 0) {
            for (int i = 0; i < in; i++) {
                grad[i] += dReward * x[i];
            }
            grad[in] += dReward;
            return;
        }
        int b1 = in * hidden;
        int w2 = b1 + hidden;
        for (int j = 0; j < hidden; j++) {
            grad[w2 + j] += dReward * scratch[j];
            hiddenGrad[j] = dReward * params[w2 + j] * derivative(scratch[j]);
            grad[b1 + j] += hiddenGrad[j];
        }
        grad[w2 + hidden] += dReward;
        for (int i = 0; i < in; i++) {
            float xi = x[i];
            if (xi == 0f) {
                continue;
            }
            int row = i * hidden;
            for (int j = 0; j < hidden; j++) {
                grad[row + j] += xi * hiddenGrad[j];
            }
        }
    }

    /** Derivative of the activation, written in terms of its output a. */
    private float derivative(float a) {
        return switch (activation) {
            case NONE -> 1f;
            case RELU -> a > 0f ? 1f : 0f;
            case TANH -> 1f - a * a;
        };
    }

    HeadWeights toWeights() {
        if (hidden == 0) {
            return new HeadWeights(List.of(new DenseLayer(in, 1, Arrays.copyOf(params, in),
                    new float[] {params[in]})), Activation.NONE);
        }
        int b1 = in * hidden;
        int w2 = b1 + hidden;
        DenseLayer first = new DenseLayer(in, hidden, Arrays.copyOf(params, b1), Arrays.copyOfRange(params, b1, w2));
        DenseLayer second = new DenseLayer(hidden, 1, Arrays.copyOfRange(params, w2, w2 + hidden),
                new float[] {params[w2 + hidden]});
        return new HeadWeights(List.of(first, second), activation);
    }
}
