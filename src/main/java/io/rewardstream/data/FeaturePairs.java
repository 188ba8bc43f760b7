package io.rewardstream.data;

/**
 * Preference pairs as head features: row i of {@code chosen} was preferred to row i of {@code rejected}.
 *
 * @param margin preference strength per pair, or null when none was given (NaN marks a pair without one)
 */
public record FeaturePairs(float[][] chosen, float[][] rejected, float[] margin) {

    public FeaturePairs {
        if (chosen.length != rejected.length || (margin != null && margin.length != chosen.length)) {
            throw new IllegalArgumentException("chosen, rejected and margin must have one entry per pair");
        }
    }

    public int size() {
        return chosen.length;
    }

    public float marginOf(int i) {
        if (margin == null || Float.isNaN(margin[i])) {
            return 0f;
        }
        return margin[i];
    }

    public FeaturePairs select(int[] indices) {
        float[][] c = new float[indices.length][];
        float[][] r = new float[indices.length][];
        float[] m = margin == null ? null : new float[indices.length];
        for (int k = 0; k < indices.length; k++) {
            c[k] = chosen[indices[k]];
            r[k] = rejected[indices[k]];
            if (m != null) {
                m[k] = margin[indices[k]];
            }
        }
        return new FeaturePairs(c, r, m);
    }
}
