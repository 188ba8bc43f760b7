package io.rewardstream.onnx;

import java.util.Arrays;

/**
 * The encoder's pooling in plain Java: the attention-masked mean of the hidden states over the sequence, then L2
 * normalisation. The exported graph ({@code PoolingGraph}) computes the same steps in the same float arithmetic.
 */
public final class MeanPooling {

    /** Lower bound of the token count, so an all-padding row gives zeros instead of NaN. */
    public static final float MIN_COUNT = 1e-9f;
    /** Lower bound of the vector norm before dividing by it. */
    public static final float MIN_NORM = 1e-12f;

    private MeanPooling() {
    }

    /**
     * Pools each row of a batch.
     *
     * @param hidden        [batch][seq][hidden] encoder output
     * @param attentionMask [batch][seq], 1 for real tokens and 0 for padding
     * @return [batch][hidden] unit-length (or zero) vectors
     */
    public static float[][] pool(float[][][] hidden, long[][] attentionMask) {
        if (hidden.length != attentionMask.length) {
            throw new IllegalArgumentException("hidden states hold " + hidden.length + " rows, the mask "
                    + attentionMask.length);
        }
        float[][] pooled = new float[hidden.length][];
        for (int row = 0; row < hidden.length; row++) {
            pooled[row] = pooledRow(hidden[row], attentionMask[row]);
        }
        return pooled;
    }

    /**
     * Pools each row of a batch held flat, with the same arithmetic as {@link #pool(float[][][], long[][])}.
     *
     * @param hidden        [rows * seq * width] encoder output, row-major
     * @param attentionMask [rows * seq], 1 for real tokens and 0 for padding
     * @return [rows][width] unit-length (or zero) vectors
     */
    public static float[][] pool(float[] hidden, long[] attentionMask, int rows, int seq, int width) {
        if (hidden.length != rows * seq * width || attentionMask.length != rows * seq) {
            throw new IllegalArgumentException("hidden states hold " + hidden.length + " values and the mask "
                    + attentionMask.length + "; [" + rows + ", " + seq + ", " + width + "] expected");
        }
        float[][] pooled = new float[rows][];
        for (int row = 0; row < rows; row++) {
            float[] sum = new float[width];
            float count = 0f;
            for (int t = 0; t < seq; t++) {
                float m = attentionMask[row * seq + t];
                count += m;
                int at = (row * seq + t) * width;
                for (int d = 0; d < width; d++) {
                    sum[d] += hidden[at + d] * m;
                }
            }
            pooled[row] = finish(sum, count);
        }
        return pooled;
    }

    /**
     * Finishes the pooling of rows whose masked sums were taken elsewhere ({@link PooledEncoderGraph}): the same
     * arithmetic as {@link #pool(float[], long[], int, int, int)} from its sums on, so equal sums give equal vectors.
     *
     * @param sums          [rows * width] the sum of each row's hidden states under its mask, row-major
     * @param attentionMask [rows * seq], 1 for real tokens and 0 for padding
     * @return [rows][width] unit-length (or zero) vectors
     */
    public static float[][] fromSums(float[] sums, long[] attentionMask, int rows, int seq, int width) {
        if (sums.length != rows * width || attentionMask.length != rows * seq) {
            throw new IllegalArgumentException("sums hold " + sums.length + " values and the mask "
                    + attentionMask.length + "; " + rows + " rows of width " + width + " and length " + seq
                    + " expected");
        }
        float[][] pooled = new float[rows][];
        for (int row = 0; row < rows; row++) {
            float count = 0f;
            for (int t = 0; t < seq; t++) {
                count += attentionMask[row * seq + t];
            }
            pooled[row] = finish(Arrays.copyOfRange(sums, row * width, (row + 1) * width), count);
        }
        return pooled;
    }

    /** Divides a row's sum by its token count (at least {@link #MIN_COUNT}) and normalises it, in place. */
    private static float[] finish(float[] sum, float count) {
        float divisor = Math.max(count, MIN_COUNT);
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= divisor;
        }
        return normalise(sum);
    }

    private static float[] pooledRow(float[][] tokens, long[] mask) {
        if (tokens.length != mask.length) {
            throw new IllegalArgumentException("a row holds " + tokens.length + " tokens but its mask " + mask.length);
        }
        float[] sum = new float[tokens[0].length];
        float count = 0f;
        for (int t = 0; t < tokens.length; t++) {
            float m = mask[t];
            count += m;
            for (int d = 0; d < sum.length; d++) {
                sum[d] += tokens[t][d] * m;
            }
        }
        return finish(sum, count);
    }

    private static float[] normalise(float[] vector) {
        float squares = 0f;
        for (float v : vector) {
            squares += v * v;
        }
        float divisor = Math.max((float) Math.sqrt(squares), MIN_NORM);
        for (int d = 0; d < vector.length; d++) {
            vector[d] /= divisor;
        }
        return vector;
    }
}
