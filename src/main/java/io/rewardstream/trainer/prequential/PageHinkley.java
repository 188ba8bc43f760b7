package io.rewardstream.trainer.prequential;

/**
 * Page-Hinkley test for an increase in the mean of a stream of values (here: 1 for a wrong prequential
 * answer, 0 for a right one).
 *
 * <p>With x̄_t the running mean, it keeps m_t = Σ (x_i - x̄_i - delta) and its minimum M_t, and fires when
 * m_t - M_t > lambda. {@code delta} is the increase it tolerates as noise; {@code lambda} trades detection
 * delay against false alarms. For 0/1 errors the variance is at most 0.25, so with delta = 0.05 and
 * lambda = 30 a false alarm on a stationary stream has probability about exp(-2 * delta * lambda / 0.25)
 * = 6e-6 per excursion, while an accuracy drop from 0.9 to 0.3 is found after roughly 50-80 pairs.
 * The time of the minimum M_t estimates where the change began. After firing it starts afresh.
 *
 * <p>A detector restarted with {@link #restart(double, long)} begins from a known error rate (a new model's
 * held-out error) counted as that many pseudo-samples. Without it, a stream that is already wrong from the
 * first sample after a restart would become its own baseline: the running mean follows the errors up and
 * m_t never grows. This happens when a model trained before a change goes live just as the change arrives.
 */
public final class PageHinkley {

    /** What the detector found when it fired. */
    public record Detection(long samples, double baseline, double current, long changeStart) {
    }

    private final double delta;
    private final double lambda;
    private final int minSamples;
    private long samples;
    private long priorWeight;
    private double mean;
    private double cumulative;
    private double minimum;
    private long minimumTimestamp;
    private double meanAtMinimum;
    /** The largest timestamp seen since construction: kept across restarts, because the stream goes on. */
    private long streamTime = Long.MIN_VALUE;
    private long sinceMinimum;
    private double sumSinceMinimum;

    public PageHinkley(double delta, double lambda, int minSamples) {
        if (delta < 0 || lambda <= 0 || minSamples < 1) {
            throw new IllegalArgumentException("delta >= 0, lambda > 0 and min samples >= 1 are required");
        }
        this.delta = delta;
        this.lambda = lambda;
        this.minSamples = minSamples;
        reset();
    }

    public double lambda() {
        return lambda;
    }

    /**
     * Adds one value observed at {@code timestamp}; returns a detection when the test fires, else null.
     *
     * <p>The change is dated by the stream time (the largest timestamp seen so far) at the cumulative sum's
     * minimum, not by the timestamp of the sample there: records from several input partitions arrive slightly
     * out of time order, and a late record with an early timestamp would date the change too early, so that
     * training "since the change" would take in records from before it. Stream time outlives {@link #restart}:
     * records a lagging partition delivers just after a new model goes live must not date a change earlier than
     * records already seen from the other partitions.
     */
    public Detection add(double value, long timestamp) {
        samples++;
        streamTime = Math.max(streamTime, timestamp);
        if (minimumTimestamp == Long.MIN_VALUE) {
            // The minimum so far is the starting point: a change from here on began at this first sample.
            minimumTimestamp = streamTime;
        }
        mean += (value - mean) / (priorWeight + samples);
        cumulative += value - mean - delta;
        sinceMinimum++;
        sumSinceMinimum += value;
        if (cumulative < minimum) {
            minimum = cumulative;
            minimumTimestamp = streamTime;
            meanAtMinimum = mean;
            sinceMinimum = 0;
            sumSinceMinimum = 0;
        }
        if (samples >= minSamples && cumulative - minimum > lambda) {
            Detection detection = new Detection(samples, meanAtMinimum,
                    sinceMinimum == 0 ? value : sumSinceMinimum / sinceMinimum, minimumTimestamp);
            reset();
            return detection;
        }
        return null;
    }

    /** Forgets everything seen; the baseline is then learnt from the samples that follow. */
    public void reset() {
        restart(0, 0);
    }

    /**
     * Forgets everything seen and starts from an expected mean worth {@code weight} samples, e.g. the held-out
     * error rate of a model that just went live and the number of held-out pairs it was measured on.
     */
    public void restart(double expectedMean, long weight) {
        if (!Double.isFinite(expectedMean) || weight < 0) {
            throw new IllegalArgumentException("a finite expected mean and weight >= 0 are required, got "
                    + expectedMean + " and " + weight);
        }
        samples = 0;
        priorWeight = weight;
        mean = expectedMean;
        cumulative = 0;
        minimum = 0;
        minimumTimestamp = Long.MIN_VALUE;
        meanAtMinimum = expectedMean;
        sinceMinimum = 0;
        sumSinceMinimum = 0;
    }

    public long samples() {
        return samples;
    }
}
