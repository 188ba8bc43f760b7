package io.rewardstream.evaluation;

/**
 * Two models judged on the same preference pairs: on how many pairs only the candidate ranks the chosen response
 * higher, and on how many only the other model does. The pairs both get right or both get wrong say nothing about
 * which is better; McNemar's test looks at the others alone.
 *
 * @param pairs         pairs compared
 * @param candidateOnly pairs the candidate gets right and the other model wrong
 * @param otherOnly     pairs the other model gets right and the candidate wrong
 */
public record PairedComparison(int pairs, int candidateOnly, int otherOnly) {

    public PairedComparison {
        if (pairs < 0 || candidateOnly < 0 || otherOnly < 0 || candidateOnly + otherOnly > pairs) {
            throw new IllegalArgumentException("counts must be >= 0 and the discordant ones at most the pairs");
        }
    }

    /**
     * Compares the reward gaps (r_chosen - r_rejected) of two models on the same pairs, in the same order. A gap
     * above 0 is right; a tie counts for neither.
     */
    public static PairedComparison of(double[] candidateGaps, double[] otherGaps) {
        if (candidateGaps.length != otherGaps.length) {
            throw new IllegalArgumentException("gaps of " + candidateGaps.length + " and " + otherGaps.length
                    + " pairs cannot be paired");
        }
        int candidateOnly = 0;
        int otherOnly = 0;
        for (int i = 0; i < candidateGaps.length; i++) {
            boolean c = candidateGaps[i] > 0;
            boolean o = otherGaps[i] > 0;
            if (c && !o) {
                candidateOnly++;
            } else if (o && !c) {
                otherOnly++;
            }
        }
        return new PairedComparison(candidateGaps.length, candidateOnly, otherOnly);
    }

    /** Accuracy of the candidate minus that of the other model. */
    public double gain() {
        return pairs == 0 ? 0 : (double) (candidateOnly - otherOnly) / pairs;
    }

    /**
     * One-sided exact McNemar test: the chance of the candidate winning at least {@link #candidateOnly} of the
     * discordant pairs if both models were equally good (each discordant pair a fair coin). 1 without discordant
     * pairs.
     */
    public double pValue() {
        int n = candidateOnly + otherOnly;
        if (n == 0) {
            return 1.0;
        }
        // log C(n, k) + n log(1/2), summed for k = candidateOnly..n in log space
        double logHalfN = n * Math.log(0.5);
        double logChoose = 0;
        for (int k = 1; k <= candidateOnly; k++) {
            logChoose += Math.log(n - k + 1) - Math.log(k);
        }
        double sum = 0;
        for (int k = candidateOnly; k <= n; k++) {
            sum += Math.exp(logChoose + logHalfN);
            logChoose += Math.log(n - k) - Math.log(k + 1);
        }
        return Math.min(1.0, sum);
    }
}
