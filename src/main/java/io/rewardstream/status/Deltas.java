package io.rewardstream.status;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns cumulative meters into what happened since the previous tick: rates of counters, and percentiles and means
 * of histograms over the interval alone (Prometheus's {@code rate} and {@code histogram_quantile}, done in the
 * process for the status page). One instance per source, used on the board's thread.
 */
public final class Deltas {

    private final Map<String, Double> totals = new HashMap<>();
    private final Map<String, double[]> buckets = new HashMap<>();
    private final Map<String, double[]> sums = new HashMap<>();

    /** Per second since the last call for {@code key}; NaN on the first call or without elapsed time. */
    public double rate(String key, double total, double seconds) {
        Double before = totals.put(key, total);
        if (before == null || !(seconds > 0)) {
            return Double.NaN;
        }
        return Math.max(0, total - before) / seconds;
    }

    /** The increase since the last call for {@code key} (0 on the first). */
    public double increase(String key, double total) {
        Double before = totals.put(key, total);
        return before == null ? 0 : Math.max(0, total - before);
    }

    /**
     * The mean of what {@code snapshot}'s histogram recorded since the last call for {@code key}; NaN when nothing
     * was recorded.
     */
    public double intervalMean(String key, HistogramSnapshot snapshot) {
        double[] now = {snapshot.count(), snapshot.total()};
        double[] before = sums.put(key, now);
        double count = before == null ? now[0] : now[0] - before[0];
        double total = before == null ? now[1] : now[1] - before[1];
        return count > 0 ? total / count : Double.NaN;
    }

    /**
     * The {@code quantiles} of what was recorded since the last call for {@code key}, interpolated linearly inside
     * a bucket as Prometheus does; NaN when nothing was recorded. Bucket bounds are in the snapshot's base unit
     * ({@code scale} converts them, e.g. nanoseconds to milliseconds).
     */
    public double[] intervalQuantiles(String key, HistogramSnapshot snapshot, double scale, double... quantiles) {
        CountAtBucket[] counts = snapshot.histogramCounts();
        double[] cumulative = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            cumulative[i] = counts[i].count();
        }
        double[] before = buckets.put(key, cumulative);
        double total = snapshot.count() - (before == null ? 0 : previousCount(key));
        totals.put(key + "#count", (double) snapshot.count());
        double[] out = new double[quantiles.length];
        for (int q = 0; q < quantiles.length; q++) {
            out[q] = quantile(quantiles[q], counts, cumulative, before, total, scale);
        }
        return out;
    }

    private double previousCount(String key) {
        Double c = totals.get(key + "#count");
        return c == null ? 0 : c;
    }

    private static double quantile(double q, CountAtBucket[] counts, double[] now, double[] before, double total,
                                   double scale) {
        if (!(total > 0) || counts.length == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (int i = 0; i < counts.length; i++) {
            double inInterval = now[i] - (before == null || before.length != now.length ? 0 : before[i]);
            double upperBound = counts[i].bucket() * scale;
            if (inInterval >= rank) {
                double inBucket = inInterval - lowerCount;
                return inBucket <= 0 ? upperBound
                        : lowerBound + (upperBound - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = upperBound;
            lowerCount = inInterval;
        }
        // Above the last bound: the last bound is the most that can be said.
        return lowerBound;
    }
}
