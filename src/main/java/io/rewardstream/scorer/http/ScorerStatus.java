package io.rewardstream.scorer.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.rewardstream.deadletter.DeadLetterMeter;
import io.rewardstream.model.ModelCard;
import io.rewardstream.scorer.serving.RewardHistograms;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.status.Chart;
import io.rewardstream.status.Deltas;
import io.rewardstream.status.StatusSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The scorer's part of the status page: the model card (with the device the model actually runs on), the serving
 * figures, and plots of rewards per second, batch sizes, batch latency percentiles, consumer lag on the responses
 * topic and dead letters by stage; the normalised rewards of each recent model version as histograms.
 */
public final class ScorerStatus implements StatusSource {

    private static final String ROLE = "scorer";

    private final ServingState state;
    private final ScoringMetrics metrics;
    private final MeterRegistry registry;
    private final DoubleSupplier lag;
    private final Supplier<String> device;
    private final Deltas deltas = new Deltas();

    /**
     * @param lag    records the scorer's consumers are behind on the responses topic
     * @param device where the model in service actually runs
     */
    public ScorerStatus(ServingState state, ScoringMetrics metrics, DoubleSupplier lag, Supplier<String> device) {
        this.state = state;
        this.metrics = metrics;
        this.registry = metrics.registry();
        this.lag = lag;
        this.device = device;
    }

    @Override
    public String name() {
        return ROLE;
    }

    @Override
    public Readiness readiness() {
        return state.notReadyReason().map(Readiness::no).orElse(Readiness.yes());
    }

    @Override
    public Map<String, Map<String, Object>> cards() {
        Map<String, Map<String, Object>> cards = new LinkedHashMap<>();
        cards.put("Model in service", state.model().map(m -> m.metadata().map(md -> ModelCard.of(md, device.get()))
                .orElseGet(() -> Map.<String, Object>of("model", m.name() + " v" + m.version(), "device",
                        device.get()))).orElse(Map.of("model", "none yet")));
        Map<String, Object> serving = new LinkedHashMap<>(state.facts());
        serving.put("consumer lag on responses", (long) lag.getAsDouble());
        serving.put("dead letters", (long) deadLettersByStage().values().stream().mapToDouble(d -> d).sum());
        cards.put("Scoring", serving);
        state.sections().forEach(cards::put);
        return cards;
    }

    @Override
    public List<Chart> charts() {
        return List.of(
                new Chart("rewards", "Rewards served", "per second", true, List.of(
                        new Chart.Line("rewards_stream", "from rlhf.responses"),
                        new Chart.Line("rewards_http", "over HTTP"))),
                new Chart("batch-size", "Mean batch size", "items", false, List.of(
                        new Chart.Line("batch_stream", "stream batches"),
                        new Chart.Line("batch_http", "HTTP batches"))),
                new Chart("latency", "Batch latency", "ms", false, List.of(
                        new Chart.Line("latency_p50", "p50"), new Chart.Line("latency_p95", "p95"),
                        new Chart.Line("latency_p99", "p99"))),
                new Chart("scorer-lag", "Consumer lag on rlhf.responses", "records", false, List.of(
                        new Chart.Line("lag", "records behind"))),
                Chart.deadLetters("scorer-dead-letters", "Dead letters (scorer)", deadLettersByStage().keySet()));
    }

    @Override
    public Map<String, Double> sample(double seconds) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("rewards_stream", deltas.rate("stream", count(ScoringMetrics.STREAM), seconds));
        row.put("rewards_http", deltas.rate("http", count(ScoringMetrics.HTTP), seconds));
        for (String path : List.of(ScoringMetrics.STREAM, ScoringMetrics.HTTP)) {
            DistributionSummary size = registry.find(ScoringMetrics.BATCH_SIZE).tag("path", path).summary();
            if (size != null) {
                row.put("batch_" + path, deltas.intervalMean("size-" + path, size.takeSnapshot()));
            }
        }
        Timer latency = registry.find(ScoringMetrics.BATCH_DURATION).tag("path", ScoringMetrics.STREAM).timer();
        if (latency == null) {
            latency = registry.find(ScoringMetrics.BATCH_DURATION).timer();
        }
        if (latency != null) {
            double[] q = deltas.intervalQuantiles("latency", latency.takeSnapshot(),
                    1.0 / TimeUnit.MILLISECONDS.toNanos(1), 0.5, 0.95, 0.99);
            row.put("latency_p50", q[0]);
            row.put("latency_p95", q[1]);
            row.put("latency_p99", q[2]);
        }
        row.put("lag", lag.getAsDouble());
        deadLettersByStage().forEach((stage, count) -> row.put(Chart.deadLetterSeries(stage), count));
        return row;
    }

    @Override
    public List<Distribution> distributions() {
        List<Group> groups = new ArrayList<>();
        List<Double> bounds = List.of();
        for (RewardHistograms.Version v : metrics.rewardHistograms()) {
            List<Double> upper = new ArrayList<>();
            List<Double> fractions = new ArrayList<>();
            long below = 0;
            for (int i = 0; i < v.upperBounds().length; i++) {
                if (Double.isFinite(v.upperBounds()[i])) {
                    upper.add(v.upperBounds()[i]);
                }
                fractions.add(v.count() == 0 ? 0 : (double) (v.cumulative()[i] - below) / v.count());
                below = v.cumulative()[i];
            }
            bounds = upper;
            groups.add(new Group("v" + v.version(), v.count(), fractions));
        }
        return List.of(new Distribution("rewards", "Normalised rewards by model version (% of its rewards)",
                "normalised reward", bounds, groups));
    }

    private double count(String path) {
        Counter counter = registry.find(ScoringMetrics.ITEMS).tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }

    private Map<String, Double> deadLettersByStage() {
        return DeadLetterMeter.countsByStage(registry, ROLE);
    }
}
