package io.rewardstream.head;

import java.util.List;

/** The Java forward pass of a trained {@link HeadWeights}: features in, raw reward out. Immutable, thread-safe. */
public final class RewardHead {

    private final HeadWeights weights;

    public RewardHead(HeadWeights weights) {
        this.weights = weights;
    }

    public HeadWeights weights() {
        return weights;
    }

    public int inputWidth() {
        return weights.inputWidth();
    }

    public float score(float[] features) {
        if (features.length != weights.inputWidth()) {
            throw new IllegalArgumentException("head takes " + weights.inputWidth() + " features, got "
                    + features.length);
        }
        float[] activations = features;
        List<DenseLayer> layers = weights.layers();
        for (int l = 0; l < layers.size(); l++) {
            activations = dense(layers.get(l), activations);
            if (l < layers.size() - 1) {
                activate(activations, weights.hidden());
            }
        }
        return activations[0];
    }

    public float[] score(float[][] rows) {
        float[] rewards = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rewards[i] = score(rows[i]);
        }
        return rewards;
    }

    private static float[] dense(DenseLayer layer, float[] in) {
        float[] out = layer.bias().clone();
        float[] w = layer.weights();
        int width = layer.out();
        if (width == 1) {
            // The scalar output layer: a plain dot product, summed in the same order as the general loop below
            float sum = out[0];
            for (int i = 0; i < layer.in(); i++) {
                sum += in[i] * w[i];
            }
            out[0] = sum;
            return out;
        }
        for (int i = 0; i < layer.in(); i++) {
            float x = in[i];
            int row = i * width;
            for (int j = 0; j < width; j++) {
                out[j] += x * w[row + j];
            }
        }
        return out;
    }

    static void activate(float[] values, Activation activation) {
        for (int i = 0; i < values.length; i++) {
            values[i] = activation.apply(values[i]);
        }
    }
}
