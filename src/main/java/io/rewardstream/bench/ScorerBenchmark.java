package io.rewardstream.bench;

import io.rewardstream.encoder.Precision;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelMetadata;
import io.rewardstream.model.PromptCache;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.onnx.EncoderCost;
import io.rewardstream.scorer.ScorerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scorer figures in one run, on one model and one set of texts:
 * <ul>
 *   <li>raw: the model alone (tokenize, ONNX Runtime, pooling, head) on batches of the scorer's batch size, the best
 *       of several passes, in fp32 and in int8 ({@link Precision}), called by as many threads at once as the scorer
 *       has stream threads, with the operations per item and the fraction of the machine's peak that reaches (the
 *       roofline);</li>
 *   <li>precision: how far the int8 rewards are from the fp32 ones on the same texts;</li>
 *   <li>sorting: the encoder alone on the same batches, sorted by length or in arrival order;</li>
 *   <li>prompts: 8 responses per prompt, spread over batches, scored with and without the prompt cache;</li>
 *   <li>pipeline: responses produced to an embedded broker, scored by a running scorer role (exactly-once),
 *       rewards read back with read_committed; then latency at half that rate;</li>
 *   <li>ceiling: the same pipeline serving a no-op encoder, so the figure is what everything around the model
 *       costs, with the process's CPU time per item;</li>
 *   <li>preparation: Avro decode, tokenize, lay out, pad and build the input tensors, on one thread.</li>
 * </ul>
 */
public final class ScorerBenchmark {

    /**
     * What to measure: the texts, the scorer's settings and the benchmark's own knobs; {@code latencyRate} is the rate
     * of the latency run in items/s, or 0 for half the pipeline's measured rate (to compare settings at one rate);
     * {@code streamThreads} is the scorer's Kafka Streams threads ({@code kafka.num.stream.threads}).
     */
    public record Plan(Path modelDir, List<PromptResponse> items, List<PromptResponse> samples, int samplesPerPrompt,
                       ScorerSettings settings, int rawPasses, int ceilingItems, MachinePeak peak,
                       double latencyRate, int streamThreads) {
    }

    /**
     * Per-response latencies of a paced run, in milliseconds: p50 and p99 of the whole, p99 of the part before the
     * response's batch started (broker, poll, linger, batches ahead of it) and of the part from there (its batch's
     * scoring, the commit, the read back); and the same responses' own scoring times (each scored alone by the
     * model, no broker, no waiting): the part of the latency no batching or commit policy can remove; and the
     * responses per exactly-once commit of the scorer's stream threads during the run.
     */
    public record Latency(double ratePerSecond, int items, double p50Millis, double p99Millis,
                          double beforeBatchP99Millis, double fromBatchP99Millis,
                          double aloneP50Millis, double aloneP99Millis, double itemsPerCommit) {

        Latency withAlone(double p50, double p99) {
            return new Latency(ratePerSecond, items, p50Millis, p99Millis, beforeBatchP99Millis, fromBatchP99Millis,
                    p50, p99, itemsPerCommit);
        }
    }

    /**
     * A run at full speed: items per second, process CPU seconds per item (broker and clients included), and the
     * exactly-once commits the scorer's stream threads made meanwhile: items per commit and the mean commit time
     * (Kafka Streams' own commit-latency-avg, over its recent window).
     */
    public record Throughput(double perSecond, double cpuSecondsPerItem, double itemsPerCommit,
                             double commitMillisMean) {
    }

    /** Raw rates at both precisions and their rewards' distance. */
    public record Raw(double fp32PerSecond, double int8PerSecond, Tolerance tolerance, double gflopPerItem) {
    }

    /**
     * How far int8 rewards are from fp32 rewards on the same texts, in standard deviations of the model's rewards
     * (the normalised reward), and how often the two agree on which response of a pair is better.
     */
    public record Tolerance(double maxAbs, double p99Abs, double meanAbs, double pairAgreement) {
    }

    /** Prompt reuse: items per second without and with the cache, and the prompts' share of all tokens. */
    public record Prompts(double uncachedPerSecond, double cachedPerSecond, double promptTokenShare) {
        public double speedUp() {
            return cachedPerSecond / uncachedPerSecond;
        }

        public double idealSpeedUp() {
            return 1 / (1 - promptTokenShare);
        }
    }

    /** Everything measured; rates in items (prompt, response) per second; {@code prompts} null for a joint model. */
    public record Result(int items, int batchSize, Precision precision, FeatureLayout layout, Raw raw,
                         double sortedPerSecond,
                         double unsortedPerSecond, Prompts prompts, double pipelinePerSecond,
                         Latency latency, Throughput ceiling, double prepPerSecondPerCore,
                         double meanTokens, MachinePeak peak) {

        /** The raw rate at the scorer's precision. */
        public double rawPerSecond() {
            return precision == Precision.INT8 ? raw.int8PerSecond() : raw.fp32PerSecond();
        }

        public double ratio() {
            return pipelinePerSecond / rawPerSecond();
        }

        /** Useful operations per second of the raw run at the scorer's precision over that arithmetic's peak. */
        public double rooflineFraction() {
            double peakOps = precision == Precision.INT8 ? peak.int8GopsPerSecond() : peak.fp32GflopsPerSecond();
            return rawPerSecond() * raw.gflopPerItem() / peakOps;
        }

        public double rooflineFractionFp32() {
            return raw.fp32PerSecond() * raw.gflopPerItem() / peak.fp32GflopsPerSecond();
        }
    }

    private ScorerBenchmark() {
    }

    /** @param workDir an empty folder for the embedded brokers, the scorers' state and the no-op model */
    public static Result run(Plan plan, Path workDir, Consumer<String> progress) {
        ScorerSettings settings = plan.settings();
        int threads = settings.modelThreads();
        int cacheEntries = settings.encoding().promptEntries();
        Raw raw = raw(plan, progress);
        double sorted;
        double unsorted;
        double prep;
        double meanTokens;
        Prompts prompts;
        FeatureLayout layout;
        Precision precision = settings.encoding().precision();
        try (RewardModel model = RewardModel.load(plan.modelDir(), threads, settings.device(), precision,
                new PromptCache(Math.max(1, cacheEntries)))) {
            ModelRates rates = new ModelRates(model, settings.batchSize());
            progress.accept("preparation (decode, tokenize, tensors) on one thread");
            prep = rates.preparation(plan.items());
            meanTokens = rates.meanTokens(plan.items());
            progress.accept("encoder alone, batches sorted by length");
            sorted = rates.encode(plan.items(), true);
            progress.accept("encoder alone, batches in arrival order");
            unsorted = rates.encode(plan.items(), false);
            progress.accept("prompts: " + plan.samplesPerPrompt() + " responses per prompt, without and with the"
                    + " prompt cache");
            layout = model.extractor().layout();
            prompts = prompts(plan, rates, layout);
        }
        progress.accept("pipeline warm-up (the scorer joins its group and loads the model)");
        double pipeline;
        Latency latency;
        try (PipelineRun run = PipelineRun.start(plan.modelDir(), settings, plan.streamThreads(),
                workDir.resolve("pipeline"))) {
            run.full(plan.items().subList(0, Math.min(plan.items().size(), 2 * settings.batchSize())), "warm");
            progress.accept("pipeline at full speed through the broker");
            pipeline = run.full(plan.items(), "full").perSecond();
            double rate = plan.latencyRate() > 0 ? plan.latencyRate() : pipeline / 2;
            int latencyItems = (int) Math.min(plan.items().size(), Math.max(100, rate * 20));
            progress.accept(String.format(java.util.Locale.ROOT, "latency at %.1f items/s (%s), %d items", rate,
                    plan.latencyRate() > 0 ? "--latency-rate" : "half the pipeline rate", latencyItems));
            latency = run.paced(plan.items().subList(0, latencyItems), "half", rate);
        }
        progress.accept("the same " + latency.items() + " responses scored one at a time by the model alone");
        try (RewardModel model = withoutCache(plan)) {
            double[] alone = new ModelRates(model, settings.batchSize()).alone(
                    plan.items().subList(0, latency.items()));
            Arrays.sort(alone);
            latency = latency.withAlone(PipelineRun.percentile(alone, 0.50), PipelineRun.percentile(alone, 0.99));
        }
        Throughput ceiling = ceiling(plan, workDir, progress);
        return new Result(plan.items().size(), settings.batchSize(), precision, layout, raw, sorted, unsorted,
                prompts, pipeline, latency, ceiling, prep, meanTokens, plan.peak());
    }

    /** fp32 and int8 raw rates (the best of the passes), their rewards' distance and the operations per item. */
    private static Raw raw(Plan plan, Consumer<String> progress) {
        ScorerSettings s = plan.settings();
        PromptCache cache = new PromptCache(s.encoding().promptEntries());
        double[] rates = new double[2];
        List<List<RewardModel.Score>> scores = new ArrayList<>();
        double gflopPerItem = 0;
        for (Precision precision : Precision.values()) {
            try (RewardModel model = RewardModel.load(plan.modelDir(), s.modelThreads(), s.device(), precision,
                    cache)) {
                ModelRates modelRates = new ModelRates(model, s.batchSize());
                progress.accept("raw model, " + precision + ", best of " + plan.rawPasses() + " passes, "
                        + plan.streamThreads() + " caller(s)");
                rates[precision.ordinal()] = modelRates.raw(plan.items(), plan.rawPasses(), plan.streamThreads());
                scores.add(model.score(plan.items()));
                if (precision == Precision.FP32) {
                    EncoderCost cost = EncoderCost.of(model.extractor().encoder().source().onnxBytes(),
                            model.extractor().encoder().hiddenSize());
                    gflopPerItem = modelRates.flopsPerItem(plan.items(), cost) / 1e9;
                }
            }
        }
        return new Raw(rates[0], rates[1], tolerance(scores.get(0), scores.get(1)), gflopPerItem);
    }

    static Tolerance tolerance(List<RewardModel.Score> reference, List<RewardModel.Score> candidate) {
        double[] diffs = new double[reference.size()];
        double sum = 0;
        for (int i = 0; i < diffs.length; i++) {
            diffs[i] = Math.abs(reference.get(i).normalized() - candidate.get(i).normalized());
            sum += diffs[i];
        }
        int agree = 0;
        int pairs = 0;
        for (int i = 0; i + 1 < diffs.length; i += 2) {
            double a = reference.get(i).reward() - reference.get(i + 1).reward();
            double b = candidate.get(i).reward() - candidate.get(i + 1).reward();
            agree += Math.signum(a) == Math.signum(b) ? 1 : 0;
            pairs++;
        }
        Arrays.sort(diffs);
        return new Tolerance(diffs[diffs.length - 1], PipelineRun.percentile(diffs, 0.99), sum / diffs.length,
                pairs == 0 ? Double.NaN : (double) agree / pairs);
    }

    /**
     * The samples scored with the cache off, then on (emptied first), and the prompts' share of their tokens; null for
     * a model of the joint layout, which encodes prompt and response as one sequence and has no prompt vector to keep.
     */
    private static Prompts prompts(Plan plan, ModelRates cachedRates, FeatureLayout layout) {
        if (layout == FeatureLayout.JOINT) {
            return null;
        }
        List<PromptResponse> samples = plan.samples();
        long promptTokens = 0;
        long allTokens = 0;
        double uncached;
        try (RewardModel uncachedModel = withoutCache(plan)) {
            for (PromptResponse item : samples) {
                List<TokenSequence> two = uncachedModel.extractor().sequences(List.of(item));
                promptTokens += two.get(0).length();
                allTokens += two.get(0).length() + two.get(1).length();
            }
            uncached = new ModelRates(uncachedModel, plan.settings().batchSize()).raw(samples, 1);
        }
        double cached = cachedRates.raw(samples, 1);
        return new Prompts(uncached, cached, (double) promptTokens / allTokens);
    }

    private static RewardModel withoutCache(Plan plan) {
        ScorerSettings s = plan.settings();
        return RewardModel.load(plan.modelDir(), s.modelThreads(), s.device(), s.encoding().precision(),
                PromptCache.NONE);
    }

    /**
     * The pipeline serving a no-op encoder on a fresh broker, with the prompt cache off (every prompt tokenized, as
     * when no prompt repeats), on the texts repeated up to {@code ceilingItems} items.
     */
    private static Throughput ceiling(Plan plan, Path workDir, Consumer<String> progress) {
        Path noOp = workDir.resolve("no-op-model");
        NoOpModel.write(plan.modelDir(), noOp);
        List<PromptResponse> items = new ArrayList<>(plan.ceilingItems());
        while (items.size() < plan.ceilingItems()) {
            items.addAll(plan.items().subList(0, Math.min(plan.items().size(), plan.ceilingItems() - items.size())));
        }
        ScorerSettings settings = plan.settings().withEncoding(new ScorerSettings.Encoding(
                plan.settings().encoding().precision(), 0));
        progress.accept("ceiling: the pipeline serving a no-op encoder, " + items.size() + " items");
        try (PipelineRun run = PipelineRun.start(noOp, settings, plan.streamThreads(), workDir.resolve("ceiling"))) {
            run.full(items.subList(0, Math.min(items.size(), 2000)), "warm");
            return run.full(items, "full");
        }
    }

    /** The model directory with a no-op encoder of the same width in place of its own. */
    static final class NoOpModel {

        private NoOpModel() {
        }

        static void write(Path modelDir, Path into) {
            ModelMetadata m = ModelDirectory.readMetadata(modelDir);
            io.rewardstream.encoder.EncoderSource real = ModelDirectory.encoderOf(modelDir, m);
            io.rewardstream.encoder.EncoderSource noOp = new io.rewardstream.encoder.EncoderSource("no-op encoder",
                    false, io.rewardstream.onnx.NoOpEncoderGraph.build(m.encoder().hiddenSize()),
                    real.tokenizerJson());
            ModelMetadata rewritten = new ModelMetadata(m.format(), m.name(), m.version(), m.createdAt(),
                    new ModelMetadata.Encoder(noOp.name(), false, noOp.sha256(), m.encoder().hiddenSize(),
                            ModelDirectory.ENCODER), ModelDirectory.TOKENIZER, m.maxLength(), m.features(), m.head(),
                    m.normalization(), m.temperature(), m.metrics(), m.training());
            ModelDirectory.write(into, rewritten, ModelDirectory.readHeadBytes(modelDir, m), noOp);
        }
    }
}
