package io.rewardstream.model;

/** Attention-masked mean of token vectors, then L2 normalisation (as sentence-transformers does for MiniLM). */
public final class MeanPooling {

    private MeanPooling() {
    }

    /**
     * @param hidden [batch][seq][hidden] encoder output
     * @param mask   [batch][seq] attention mask, 1 for real tokens
     */
    public static float[][] pool(float[][][] hidden, long[][] mask) {
        float[][] pooled = new float[hidden.length][];
        for (int b = 0; b < hidden.length; b++) {
            pooled[b] = poolRow(hidden[b], mask[b]);
        }
        return pooled;
    }

    static float[] poolRow(float[][] tokens, long[] mask) {
        int width = tokens[0].length;
        float[] sum = new float[width];
        float count = 0f;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[t] == 0) {
                continue;
            }
            float m = mask[t];
            count += m;
            float[] token = tokens[t];
            for (int i = 0; i < width; i++) {
                sum[i] += token[i] * m;
            }
        }
        float denominator = Math.max(count, 1e-9f);
        float squares = 0f;
        for (int i = 0; i < width; i++) {
            sum[i] /= denominator;
            squares += sum[i] * sum[i];
        }
        float norm = Math.max((float) Math.sqrt(squares), 1e-12f);
        for (int i = 0; i < width; i++) {
            sum[i] /= norm;
        }
        return sum;
    }
}
