package io.rewardstream.learning.finetune;

import java.util.Random;

/**
 * A linear Bradley-Terry head fitted on frozen pooled vectors before fine-tuning starts (linear probing), with the
 * frozen path's settings: Adam at 1e-3, decoupled weight decay 0.01, 64 pairs per batch, at most 200 epochs,
 * keeping the weights of the lowest validation loss (patience 8). Plain Java and deterministic for a seed. The
 * bias is left at 0: the pairwise loss does not depend on it.
 */
final class LinearProbe {

    private static final double RATE = 1e-3;
    private static final double DECAY = 1e-2;
    private static final int BATCH = 64;
    private static final int MAX_EPOCHS = 200;
    private static final int PATIENCE = 8;

    private LinearProbe() {
    }

    /**
     * @param chosen  [pairs][hidden] pooled vectors of the preferred responses
     * @param rejected [pairs][hidden] of the others
     * @param margins per pair, subtracted inside the sigmoid
     * @return the head's weights
     */
    static float[] fit(float[][] chosen, float[][] rejected, float[] margins, float[][] validChosen,
                       float[][] validRejected, long seed) {
        if (validChosen.length == 0) {
            return fit(chosen, rejected, margins, chosen, rejected, seed);
        }
        int width = chosen[0].length;
        double[] w = new double[width];
        double[] m = new double[width];
        double[] v = new double[width];
        double[] grad = new double[width];
        double[] best = w.clone();
        double bestLoss = loss(w, validChosen, validRejected);
        int bestEpoch = 0;
        int[] order = new int[chosen.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        int step = 0;
        for (int epoch = 1; epoch <= MAX_EPOCHS && epoch - bestEpoch <= PATIENCE; epoch++) {
            shuffle(order, random);
            for (int from = 0; from < order.length; from += BATCH) {
                int to = Math.min(order.length, from + BATCH);
                java.util.Arrays.fill(grad, 0);
                for (int k = from; k < to; k++) {
                    int i = order[k];
                    double g = -sigmoid(-(dot(w, chosen[i]) - dot(w, rejected[i]) - margins[i])) / (to - from);
                    for (int j = 0; j < width; j++) {
                        grad[j] += g * (chosen[i][j] - rejected[i][j]);
                    }
                }
                step++;
                adam(w, m, v, grad, step);
            }
            double validLoss = loss(w, validChosen, validRejected);
            if (validLoss < bestLoss - 1e-6) {
                bestLoss = validLoss;
                bestEpoch = epoch;
                best = w.clone();
            }
        }
        float[] out = new float[width];
        for (int j = 0; j < width; j++) {
            out[j] = (float) best[j];
        }
        return out;
    }

    private static void adam(double[] w, double[] m, double[] v, double[] grad, int step) {
        double c1 = 1 - Math.pow(0.9, step);
        double c2 = 1 - Math.pow(0.999, step);
        for (int j = 0; j < w.length; j++) {
            m[j] = 0.9 * m[j] + 0.1 * grad[j];
            v[j] = 0.999 * v[j] + 0.001 * grad[j] * grad[j];
            w[j] *= 1 - RATE * DECAY;
            w[j] -= RATE * (m[j] / c1) / (Math.sqrt(v[j] / c2) + 1e-8);
        }
    }

    /** Mean -log sigmoid(gap) over the pairs (without margins); +infinity when there are none. */
    private static double loss(double[] w, float[][] chosen, float[][] rejected) {
        if (chosen.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double total = 0;
        for (int i = 0; i < chosen.length; i++) {
            double gap = dot(w, chosen[i]) - dot(w, rejected[i]);
            total += Math.max(-gap, 0) + Math.log1p(Math.exp(-Math.abs(gap)));
        }
        return total / chosen.length;
    }

    private static double dot(double[] w, float[] x) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += w[j] * x[j];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
