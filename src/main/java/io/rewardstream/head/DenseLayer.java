package io.rewardstream.head;

import java.util.Arrays;

/**
 * One fully connected layer of the reward head: {@code out = in x W + b}.
 *
 * @param in      input width
 * @param out     output width
 * @param weights row-major [in][out] matrix, length in * out
 * @param bias    length out
 */
public record DenseLayer(int in, int out, float[] weights, float[] bias) {

    public DenseLayer {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer sizes must be positive, got " + in + "x" + out);
        }
        if (weights.length != in * out) {
            throw new IllegalArgumentException("weights hold " + weights.length + " values, expected " + in * out);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias holds " + bias.length + " values, expected " + out);
        }
    }

    public float weight(int row, int col) {
        return weights[row * out + col];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer d && d.in == in && d.out == out
                && Arrays.equals(d.weights, weights) && Arrays.equals(d.bias, bias);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * in + out) + Arrays.hashCode(weights) + 7 * Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "DenseLayer[" + in + "x" + out + "]";
    }
}
