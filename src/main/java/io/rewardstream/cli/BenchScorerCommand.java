package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.BenchModels;
import io.rewardstream.bench.MachinePeak;
import io.rewardstream.bench.ScorerBenchmark;
import io.rewardstream.bench.ScorerTexts;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.Precision;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench scorer}: raw model throughput next to end-to-end throughput through Kafka, latency, sorting, prep. */
@Command(name = "scorer", mixinStandardHelpOptions = true,
        description = {"Scorer throughput: the raw model next to the whole path through an embedded broker (produce"
                + " responses -> scored -> rewards consumed), latency p50/p99 at half the maximum rate, batches with"
                + " and without length sorting, and the CPU-side preparation rate per core.",
            "Texts are the responses of the real preference pairs when the data file exists, else synthetic ones."})
final class BenchScorerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--items", defaultValue = "2000", description = "Responses per measurement (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--data", defaultValue = "../shared/data/hh-rlhf-harmless-4k.jsonl", paramLabel = "FILE.jsonl",
            description = "Pairs whose prompts and responses are the texts (default ${DEFAULT-VALUE}); synthetic"
                    + " texts when the file does not exist.")
    Path data;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory to serve; by default one is trained first on 600 pairs of the same source.")
    Path model;

    @Option(names = "--batch-size", defaultValue = "64", description = "Scoring batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--linger-ms", defaultValue = "20", description = "Scorer linger (default ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--batches-in-flight", defaultValue = "0",
            description = "Micro-batches of a task scored off its stream thread at once, 0 to score on the stream"
                    + " thread (scoring.batches-in-flight; default ${DEFAULT-VALUE}).")
    int batchesInFlight;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 for its default.")
    int threads;

    @Option(names = "--stream-threads", defaultValue = "1",
            description = "Kafka Streams threads of the scorer (kafka.num.stream.threads; default ${DEFAULT-VALUE}); the"
                    + " raw model is then timed with as many concurrent callers.")
    int streamThreads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, auto or cuda:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--precision", defaultValue = "int8",
            description = "The scorer's encoder arithmetic on a CPU, fp32 or int8 (default ${DEFAULT-VALUE}); the raw"
                    + " figures are measured at both.")
    String precision;

    @Option(names = "--prompt-cache", defaultValue = "10000",
            description = "Prompt vectors the scorer keeps (scoring.prompt-cache; default ${DEFAULT-VALUE}).")
    int promptCache;

    @Option(names = "--raw-passes", defaultValue = "3",
            description = "Timed passes of the raw model; the best counts (default ${DEFAULT-VALUE}).")
    int rawPasses;

    @Option(names = "--ceiling-items", defaultValue = "30000",
            description = "Responses through the pipeline with the no-op encoder (default ${DEFAULT-VALUE}).")
    int ceilingItems;

    @Option(names = "--prompts", defaultValue = "128",
            description = "Distinct prompts of the prompt-cache measurement (default ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--responses-per-prompt", defaultValue = "8",
            description = "Responses per prompt of the prompt-cache measurement (default ${DEFAULT-VALUE}).")
    int responsesPerPrompt;

    @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "ITEMS_PER_S",
            description = "Rate of the latency run; 0 (the default) for half the pipeline's measured rate. A fixed"
                    + " rate compares settings (threads, linger) at the same load.")
    double latencyRate;

    @Option(names = "--peak-gflops", defaultValue = "0",
            description = "This machine's fp32 peak in GFLOP/s for the roofline; 0 reads it from /proc/cpuinfo.")
    double peakGflops;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Option(names = "--verbose", description = "Show Kafka's own warnings too (hidden below ERROR by default).")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (items < batchSize) {
            throw new BadInputException("--items (" + items + ") must be at least --batch-size (" + batchSize + ")");
        }
        if (latencyRate < 0 || Double.isNaN(latencyRate)) {
            throw new BadInputException("--latency-rate must be 0 (half the pipeline rate) or a positive rate, got "
                    + latencyRate);
        }
        if (rawPasses < 1 || ceilingItems < batchSize || prompts < 1 || responsesPerPrompt < 1) {
            throw new BadInputException("--raw-passes, --prompts and --responses-per-prompt must be at least 1 and"
                    + " --ceiling-items at least --batch-size");
        }
        if (streamThreads < 1) {
            throw new BadInputException("--stream-threads must be at least 1, got " + streamThreads);
        }
        if (batchesInFlight < 0 || batchesInFlight > ScorerSettings.MAX_BATCHES_IN_FLIGHT) {
            throw new BadInputException("--batches-in-flight must be between 0 and "
                    + ScorerSettings.MAX_BATCHES_IN_FLIGHT + ", got " + batchesInFlight);
        }
        ScorerSettings settings;
        try {
            settings = ScorerSettings.defaults().withBatchSize(batchSize).withLinger(Duration.ofMillis(lingerMs))
                    .withBatchesInFlight(batchesInFlight)
                    .withHttp("127.0.0.1", 0, 1 << 20).withDevice(Device.parse("--device", device), threads)
                    .withEncoding(new ScorerSettings.Encoding(Precision.parse("--precision", precision),
                            promptCache));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!verbose) {
            KafkaLogs.quiet();
        }
        boolean real = Files.isRegularFile(data);
        List<PreferencePair> pairs = real ? PairFile.read(data, false).records()
                : new SyntheticPreferences(11, 0.1).pairs(600 + items + prompts * responsesPerPrompt);
        int trainPairs = model == null ? 600 : 0;
        List<PromptResponse> texts = ScorerTexts.responses(pairs, trainPairs, items);
        List<PromptResponse> samples = ScorerTexts.samplesPerPrompt(pairs, trainPairs, prompts, responsesPerPrompt);
        if (texts.size() < items) {
            throw new BadInputException(data + " gives only " + texts.size() + " responses after the training pairs;"
                    + " lower --items");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("rewardstream-bench-scorer-");
        try {
            Path modelDir = BenchModels.givenOrTrained(model, pairs, trainPairs, real ? data.toString() : "synthetic",
                    "bench-scorer", threads, work, err);
            ScorerBenchmark.Plan plan = new ScorerBenchmark.Plan(modelDir, texts, samples, responsesPerPrompt,
                    settings, rawPasses, ceilingItems, MachinePeak.detect(Runtime.getRuntime().availableProcessors(),
                    peakGflops), latencyRate, streamThreads);
            ScorerBenchmark.Result r = ScorerBenchmark.run(plan, work, line -> {
                err.println("measuring: " + line);
                err.flush();
            });
            print(r, real ? data.toString() : "synthetic");
        } finally {
            Utils.delete(work.toFile());
        }
        return Main.OK;
    }

    private void print(ScorerBenchmark.Result r, String source) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ScorerBenchmark.Raw raw = r.raw();
        ScorerBenchmark.Prompts p = r.prompts();
        String layout = r.layout().manifestName();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("raw_per_s", round(r.rawPerSecond()));
            result.put("pipeline_per_s", round(r.pipelinePerSecond()));
            result.put("ratio", round(r.ratio()));
            result.put("p50_ms", round(r.latency().p50Millis()));
            result.put("p99_ms", round(r.latency().p99Millis()));
            result.put("p99_ms_before_batch", round(r.latency().beforeBatchP99Millis()));
            result.put("p99_ms_from_batch", round(r.latency().fromBatchP99Millis()));
            result.put("alone_p50_ms", round(r.latency().aloneP50Millis()));
            result.put("alone_p99_ms", round(r.latency().aloneP99Millis()));
            result.put("latency_rate_per_s", round(r.latency().ratePerSecond()));
            result.put("latency_items_per_commit", round(r.latency().itemsPerCommit()));
            result.put("sorted_per_s", round(r.sortedPerSecond()));
            result.put("unsorted_per_s", round(r.unsortedPerSecond()));
            result.put("prep_per_s_per_core", round(r.prepPerSecondPerCore()));
            result.put("ceiling_per_s", round(r.ceiling().perSecond()));
            result.put("ceiling_per_s_per_core", round(1 / r.ceiling().cpuSecondsPerItem()));
            result.put("ceiling_items_per_commit", round(r.ceiling().itemsPerCommit()));
            result.put("ceiling_commit_ms_mean", round(r.ceiling().commitMillisMean()));
            result.put("precision", r.precision().label());
            result.put("raw_fp32_per_s", round(raw.fp32PerSecond()));
            result.put("raw_int8_per_s", round(raw.int8PerSecond()));
            result.put("int8_speedup", round(raw.int8PerSecond() / raw.fp32PerSecond()));
            result.put("int8_max_abs_diff", round(raw.tolerance().maxAbs()));
            result.put("int8_p99_abs_diff", round(raw.tolerance().p99Abs()));
            result.put("int8_mean_abs_diff", round(raw.tolerance().meanAbs()));
            result.put("int8_pair_agreement", round(raw.tolerance().pairAgreement()));
            result.put("gflop_per_item", round(raw.gflopPerItem()));
            result.put("roofline_fraction", round(r.rooflineFraction()));
            result.put("roofline_fraction_fp32", round(r.rooflineFractionFp32()));
            result.put("peak_fp32_gflop_per_s", round(r.peak().fp32GflopsPerSecond()));
            result.put("peak_int8_gop_per_s", round(r.peak().int8GopsPerSecond()));
            result.put("peak_basis", r.peak().basis());
            if (p != null) {
                result.put("uncached_prompts_per_s", round(p.uncachedPerSecond()));
                result.put("cached_prompts_per_s", round(p.cachedPerSecond()));
                result.put("prompt_token_share", round(p.promptTokenShare()));
                result.put("prompt_cache_speedup", round(p.speedUp()));
                result.put("prompt_cache_ideal_speedup", round(p.idealSpeedUp()));
                result.put("prompt_cache_fraction_of_ideal", round(p.speedUp() / p.idealSpeedUp()));
                result.put("responses_per_prompt", responsesPerPrompt);
            }
            result.put("layout", layout);
            result.put("items", r.items());
            result.put("batch_size", r.batchSize());
            result.put("stream_threads", streamThreads);
            result.put("batches_in_flight", batchesInFlight);
            result.put("raw_callers", streamThreads);
            result.put("mean_tokens", round(r.meanTokens()));
            result.put("texts", source);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            result.put("load_average_1m", round(load));
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("texts: %d responses from %s, %.1f tokens per encoded sequence on average, batch %d, %d stream"
                    + " thread(s)%n", r.items(), source, r.meanTokens(), r.batchSize(), streamThreads);
            out.printf("raw model      %8.1f items/s fp32, %.1f int8 (x%.2f; best of %d passes, %d concurrent"
                    + " caller(s); the scorer runs %s)%n", raw.fp32PerSecond(), raw.int8PerSecond(),
                    raw.int8PerSecond() / raw.fp32PerSecond(), rawPasses, streamThreads, r.precision());
            out.printf("int8 vs fp32   normalised reward |diff| max %.4f, p99 %.4f, mean %.4f; same order in %.1f%% of"
                    + " pairs%n", raw.tolerance().maxAbs(), raw.tolerance().p99Abs(), raw.tolerance().meanAbs(),
                    100 * raw.tolerance().pairAgreement());
            out.printf("roofline       %.2f GFLOP per item; %.1f%% of the %s peak (%.0f GOP/s); fp32 %.1f%% of %.0f"
                    + " GFLOP/s (%s)%n", raw.gflopPerItem(), 100 * r.rooflineFraction(), r.precision(),
                    r.precision() == Precision.INT8 ? r.peak().int8GopsPerSecond() : r.peak().fp32GflopsPerSecond(),
                    100 * r.rooflineFractionFp32(), r.peak().fp32GflopsPerSecond(), r.peak().basis());
            out.printf("pipeline       %8.1f items/s through Kafka (ratio %.2f, goal >= 0.9)%n",
                    r.pipelinePerSecond(), r.ratio());
            out.printf("latency        p50 %.1f ms, p99 %.1f ms at %.1f items/s (%s)%n",
                    r.latency().p50Millis(), r.latency().p99Millis(), r.latency().ratePerSecond(),
                    latencyRate > 0 ? "--latency-rate" : "half the pipeline rate");
            out.printf("               p99 %.1f ms until its batch started, p99 %.1f ms from there to read back%n",
                    r.latency().beforeBatchP99Millis(), r.latency().fromBatchP99Millis());
            out.printf("               the same responses scored alone by the model: p50 %.1f ms, p99 %.1f ms%n",
                    r.latency().aloneP50Millis(), r.latency().aloneP99Millis());
            out.printf("ceiling        %8.1f items/s through Kafka with a no-op encoder; %.0f items per CPU-second"
                    + " of the whole process (broker and clients included)%n", r.ceiling().perSecond(),
                    1 / r.ceiling().cpuSecondsPerItem());
            out.printf("               %.0f items per exactly-once commit, %.2f ms per commit%n",
                    r.ceiling().itemsPerCommit(), r.ceiling().commitMillisMean());
            if (p != null) {
                out.printf("prompts        %8.1f items/s with the prompt cache, %.1f without (x%.2f; ideal x%.2f for a"
                        + " prompt share of %.1f%% of the tokens: %.0f%% of it), %d responses per prompt%n",
                        p.cachedPerSecond(), p.uncachedPerSecond(), p.speedUp(), p.idealSpeedUp(),
                        100 * p.promptTokenShare(), 100 * p.speedUp() / p.idealSpeedUp(), responsesPerPrompt);
            } else {
                out.printf("prompts        not measured: the model's %s layout encodes prompt and response as one"
                        + " sequence, so there is no prompt vector to keep%n", layout);
            }
            out.printf("length sorting %8.1f items/s sorted, %.1f unsorted (x%.2f)%n", r.sortedPerSecond(),
                    r.unsortedPerSecond(), r.sortedPerSecond() / r.unsortedPerSecond());
            out.printf("preparation    %8.1f items/s per core (Avro decode, tokenize, pad, tensors; no inference)%n",
                    r.prepPerSecondPerCore());
            out.printf("machine        %d cores, load average %.2f at the end%n",
                    Runtime.getRuntime().availableProcessors(), load);
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
