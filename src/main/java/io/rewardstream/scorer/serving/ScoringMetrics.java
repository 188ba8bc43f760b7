package io.rewardstream.scorer.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.rewardstream.model.PromptCache;
import io.rewardstream.model.RewardModel;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The scorer's meters, in Prometheus's naming and base units: items scored and batches per path (stream or http),
 * batch sizes (buckets 1 to 4096, doubling) and batch durations (5 ms to 30 s), the normalised rewards per model
 * version (buckets of 0.5 from -4 to 4; the last {@link #KEPT_VERSIONS} versions are kept), models put in service,
 * releases refused, and the model in service as labels of {@code rewardstream_scorer_model_info}.
 */
public final class ScoringMetrics {

    public static final String STREAM = "stream";
    public static final String HTTP = "http";
    public static final String ITEMS = "rewardstream.scorer.items";
    public static final String BATCH_SIZE = "rewardstream.scorer.batch.size";
    public static final String BATCH_DURATION = "rewardstream.scorer.batch.duration";
    public static final String MODEL_INFO = "rewardstream.scorer.model.info";
    /** Prompt-cache lookups by result (hit, miss). */
    public static final String PROMPT_CACHE = "rewardstream.scorer.prompt.cache.lookups";
    /** Reward histograms kept in the registry: the model in service and the ones before it. */
    public static final int KEPT_VERSIONS = 5;

    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
    static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Counter refused;
    private final RewardHistograms rewards;
    private Meter info;

    public ScoringMetrics(MeterRegistry registry, ModelHolder holder) {
        this(registry, holder, () -> "unknown");
    }

    /** @param device where the model's sessions actually run (e.g. {@code cpu}, {@code cuda:0}), read per model */
    public ScoringMetrics(MeterRegistry registry, ModelHolder holder, Supplier<String> device) {
        this.registry = registry;
        this.rewards = new RewardHistograms(registry, KEPT_VERSIONS);
        Counter installs = Counter.builder("rewardstream.scorer.model.installs")
                .description("Models put in service").register(registry);
        this.refused = Counter.builder("rewardstream.scorer.releases.refused")
                .description("Releases refused (checksum, encoder or load failure)").register(registry);
        holder.onInstall(model -> {
            installs.increment();
            modelChanged(model, device.get());
        });
    }

    private synchronized void modelChanged(ScoringModel model, String device) {
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder(MODEL_INFO, () -> 1).description("The model in service; the value is always 1")
                .tags(Tags.of("name", model.name(), "version", Long.toString(model.version()), "device", device))
                .register(registry);
        rewards.versionInService(model.version());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Records one scored batch of {@code size} items that took {@code elapsed}. */
    public void batch(String path, int size, Duration elapsed) {
        Counter.builder(ITEMS).description("Items scored").tag("path", path).register(registry).increment(size);
        DistributionSummary.builder(BATCH_SIZE).description("Items per scored batch").baseUnit("items")
                .tag("path", path).serviceLevelObjectives(BATCH_BUCKETS).register(registry).record(size);
        Timer.builder(BATCH_DURATION).description("Time to score one batch").tag("path", path)
                .serviceLevelObjectives(DURATION_BUCKETS).register(registry).record(elapsed);
    }

    /** Records the normalised rewards that {@code version} gave. */
    public void rewards(long version, List<RewardModel.Score> scores) {
        rewards.record(version, scores.stream().map(RewardModel.Score::normalized).toList());
    }

    /** The normalised rewards of the recent model versions. */
    public List<RewardHistograms.Version> rewardHistograms() {
        return rewards.snapshot();
    }

    /** Counts a release that was refused. */
    public void refusedRelease() {
        refused.increment();
    }

    /**
     * Records how an OpenRLHF query was split into prompt and response: {@code prompt}, {@code marker}, or
     * {@code whole} when nothing fitted and the whole query was scored as the response.
     */
    public void querySplit(String rule) {
        Counter.builder("rewardstream.scorer.query.splits")
                .description("OpenRLHF queries split, by the rule that split them")
                .tag("rule", rule).register(registry).increment();
    }

    /** Records an HTTP scoring request refused because too much work was queued. */
    public void queueFull() {
        Counter.builder("rewardstream.scorer.queue.refusals")
                .description("HTTP scoring requests refused because too much work was queued").register(registry)
                .increment();
    }

    /** Total items scored on one path so far. */
    public double items(String path) {
        Counter counter = registry.find(ITEMS).tag("path", path).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Counts the lookups of {@code prompts} as {@link #PROMPT_CACHE}{result=hit|miss}. */
    public void watch(PromptCache prompts) {
        FunctionCounter.builder(PROMPT_CACHE, prompts, PromptCache::hits).tag("result", "hit")
                .description("Prompts looked up in the prompt cache (separate layout)").register(registry);
        FunctionCounter.builder(PROMPT_CACHE, prompts, PromptCache::misses).tag("result", "miss")
                .description("Prompts looked up in the prompt cache (separate layout)").register(registry);
    }
}
