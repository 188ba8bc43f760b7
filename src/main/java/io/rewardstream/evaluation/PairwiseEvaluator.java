package io.rewardstream.evaluation;

import java.util.ArrayList;
import java.util.List;

/** Computes {@link PairwiseMetrics} from the rewards a model gave each pair. */
public final class PairwiseEvaluator {

    private static final int BINS = 10;

    private PairwiseEvaluator() {
    }

    /**
     * @param chosenReward    reward of each preferred response
     * @param rejectedReward  reward of each less preferred response
     * @param chosenLength    length in characters of each preferred response
     * @param rejectedLength  length in characters of each less preferred response
     * @param margins         preference strength per pair (NaN where none), or null
     * @param temperature     calibration temperature (fit it on validation pairs with {@link TemperatureScaling})
     */
    public static PairwiseMetrics evaluate(double[] chosenReward, double[] rejectedReward, int[] chosenLength,
                                           int[] rejectedLength, double[] margins, double temperature) {
        int n = chosenReward.length;
        double[] gaps = new double[n];
        double correct = 0;
        for (int i = 0; i < n; i++) {
            gaps[i] = chosenReward[i] - rejectedReward[i];
            correct += gaps[i] > 0 ? 1 : gaps[i] == 0 ? 0.5 : 0;
        }
        double[] rewards = new double[2 * n];
        double[] lengths = new double[2 * n];
        for (int i = 0; i < n; i++) {
            rewards[2 * i] = chosenReward[i];
            rewards[2 * i + 1] = rejectedReward[i];
            lengths[2 * i] = chosenLength[i];
            lengths[2 * i + 1] = rejectedLength[i];
        }
        double mean = mean(rewards);
        double variance = 0;
        for (double r : rewards) {
            variance += (r - mean) * (r - mean);
        }
        double std = n > 0 ? Math.sqrt(variance / rewards.length) : 0;
        return new PairwiseMetrics(n, n == 0 ? Double.NaN : correct / n,
                n == 0 ? Double.NaN : TemperatureScaling.logLoss(gaps, 1.0), ece(gaps, temperature), temperature,
                Correlation.spearman(rewards, lengths), marginCorrelation(gaps, margins), mean, std, mean(gaps));
    }

    /** Confidence = max(p, 1 - p) of the predicted winner; ECE = sum over bins of |accuracy - confidence| x share. */
    static double ece(double[] gaps, double temperature) {
        if (gaps.length == 0) {
            return Double.NaN;
        }
        double[] confidence = new double[BINS];
        double[] hits = new double[BINS];
        int[] count = new int[BINS];
        for (double gap : gaps) {
            double p = 1 / (1 + Math.exp(-gap / temperature));
            double conf = Math.max(p, 1 - p);
            int bin = Math.min(BINS - 1, (int) ((conf - 0.5) * 2 * BINS));
            confidence[bin] += conf;
            hits[bin] += gap > 0 ? 1 : gap == 0 ? 0.5 : 0;
            count[bin]++;
        }
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            if (count[b] > 0) {
                ece += Math.abs(hits[b] - confidence[b]) / gaps.length;
            }
        }
        return ece;
    }

    private static double marginCorrelation(double[] gaps, double[] margins) {
        if (margins == null) {
            return Double.NaN;
        }
        List<double[]> given = new ArrayList<>();
        for (int i = 0; i < gaps.length; i++) {
            if (!Double.isNaN(margins[i])) {
                given.add(new double[] {gaps[i], margins[i]});
            }
        }
        return Correlation.pearson(given.stream().mapToDouble(g -> g[0]).toArray(),
                given.stream().mapToDouble(g -> g[1]).toArray());
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}
