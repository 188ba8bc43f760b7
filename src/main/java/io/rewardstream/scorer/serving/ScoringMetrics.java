package io.rewardstream.scorer.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The scorer's meters: scored items and batches per path (stream or http), batch sizes, batch latency
 * (histogram), dead letters, models put in service, and the version in use.
 */
public final class ScoringMetrics {

    public static final String STREAM = "stream";
    public static final String HTTP = "http";

    private final MeterRegistry registry;
    private final Counter deadLetters;

    public ScoringMetrics(MeterRegistry registry, ModelHolder holder) {
        this.registry = registry;
        this.deadLetters = Counter.builder("rewardstream.scorer.dead.letters")
                .description("Responses sent to the dead-letter topic").register(registry);
        Gauge.builder("rewardstream.scorer.model.version", holder, h -> h.current().map(m -> (double) m.version())
                        .orElse(Double.NaN))
                .description("Version of the reward model in service (NaN before the first)").register(registry);
        holder.onInstall(model -> Counter.builder("rewardstream.scorer.model.installs")
                .description("Models put in service").register(registry).increment());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one scored batch of {@code size} items that took {@code elapsed}. */
    public void batch(String path, int size, Duration elapsed) {
        Counter.builder("rewardstream.scorer.items").description("Items scored").tag("path", path)
                .register(registry).increment(size);
        DistributionSummary.builder("rewardstream.scorer.batch.size").description("Items per scored batch")
                .tag("path", path).publishPercentileHistogram().register(registry).record(size);
        Timer.builder("rewardstream.scorer.batch.latency").description("Time to score one batch")
                .tag("path", path).publishPercentileHistogram().register(registry).record(elapsed);
    }

    public void deadLetter() {
        deadLetters.increment();
    }

    /** Total items scored on one path so far. */
    public double items(String path) {
        Counter counter = registry.find("rewardstream.scorer.items").tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }
}
