package io.rewardstream.scorer.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The normalised rewards served, as a Prometheus histogram per model version,
 * {@code rewardstream_scorer_reward_normalized{model_version}}, with buckets of 0.5 from -4 to 4. Micrometer's
 * histograms take only positive bounds, so this one is the Prometheus client's own, added to the Prometheus registry
 * behind Micrometer's (and kept in the process alone under any other registry). The newest {@code keep} versions
 * are kept.
 */
public final class RewardHistograms {

    public static final String NAME = "rewardstream_scorer_reward_normalized";
    static final double[] BOUNDS = bounds();

    /** One version's histogram: its upper bounds (the last is +Inf), cumulative counts and total count. */
    public record Version(long version, double[] upperBounds, long[] cumulative, long count) {
    }

    private final Histogram histogram = Histogram.builder().name(NAME)
            .help("Normalised rewards served, per model version").labelNames("model_version").classicOnly()
            .classicUpperBounds(BOUNDS).withoutExemplars().build();
    private final int keep;
    private final Deque<Long> versions = new ArrayDeque<>();

    public RewardHistograms(MeterRegistry registry, int keep) {
        this.keep = keep;
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            prometheus.getPrometheusRegistry().register(histogram);
        }
    }

    /** Records the rewards that {@code version} gave. */
    public void record(long version, List<Double> normalized) {
        var point = histogram.labelValues(Long.toString(version));
        normalized.forEach(point::observe);
    }

    /** A new version is in service: it is kept, and the oldest beyond {@code keep} are dropped. */
    public synchronized void versionInService(long version) {
        versions.remove(version);
        versions.addLast(version);
        while (versions.size() > keep) {
            histogram.remove(Long.toString(versions.removeFirst()));
        }
    }

    /** Every kept version's histogram, oldest version first. */
    public List<Version> snapshot() {
        List<Version> out = new ArrayList<>();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.collect().getDataPoints()) {
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            double[] upper = new double[buckets.size()];
            long[] cumulative = new long[buckets.size()];
            long running = 0;
            for (int i = 0; i < buckets.size(); i++) {
                upper[i] = buckets.getUpperBound(i);
                running += buckets.getCount(i);
                cumulative[i] = running;
            }
            out.add(new Version(Long.parseLong(point.getLabels().get("model_version")), upper, cumulative,
                    point.getCount()));
        }
        out.sort((a, b) -> Long.compare(a.version(), b.version()));
        return out;
    }

    private static double[] bounds() {
        double[] bounds = new double[17];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = -4 + 0.5 * i;
        }
        return bounds;
    }
}
