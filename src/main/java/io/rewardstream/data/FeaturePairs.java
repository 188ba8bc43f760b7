package io.rewardstream.data;

/**
 * Preference pairs as head features: row i of {@code chosen} was preferred to row i of {@code rejected}. The one
 * pair type that training and evaluation share, offline and in the trainer role.
 *
 * @param margin         preference strength per pair, or null when none was given (NaN marks a pair without one)
 * @param chosenLength   characters of each chosen response (for the reward-length correlation and the length rules)
 * @param rejectedLength characters of each rejected response
 */
public record FeaturePairs(float[][] chosen, float[][] rejected, float[] margin, int[] chosenLength,
                           int[] rejectedLength) {

    public FeaturePairs {
        int n = chosen.length;
        if (rejected.length != n || (margin != null && margin.length != n) || chosenLength.length != n
                || rejectedLength.length != n) {
            throw new IllegalArgumentException("chosen, rejected, margin and lengths must have one entry per pair");
        }
    }

    /** Pairs whose response lengths are not known (all 0: no length correlation can be measured). */
    public FeaturePairs(float[][] chosen, float[][] rejected, float[] margin) {
        this(chosen, rejected, margin, new int[chosen.length], new int[chosen.length]);
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

    /** The margin of pair i as evaluation reads it: NaN when none was given. */
    public double marginOrNaN(int i) {
        return margin == null ? Double.NaN : margin[i];
    }

    public FeaturePairs select(int[] indices) {
        float[][] c = new float[indices.length][];
        float[][] r = new float[indices.length][];
        float[] m = margin == null ? null : new float[indices.length];
        int[] cl = new int[indices.length];
        int[] rl = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            c[k] = chosen[indices[k]];
            r[k] = rejected[indices[k]];
            cl[k] = chosenLength[indices[k]];
            rl[k] = rejectedLength[indices[k]];
            if (m != null) {
                m[k] = margin[indices[k]];
            }
        }
        return new FeaturePairs(c, r, m, cl, rl);
    }
}
