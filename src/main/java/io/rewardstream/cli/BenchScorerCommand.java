package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.ScorerBenchmark;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingProgress;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 for its default.")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, auto or cuda:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Option(names = "--verbose", description = "Show Kafka's own warnings too (hidden below ERROR by default).")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        if (items < batchSize) {
            throw new BadInputException("--items (" + items + ") must be at least --batch-size (" + batchSize + ")");
        }
        ScorerSettings settings;
        try {
            settings = ScorerSettings.defaults().withBatchSize(batchSize).withLinger(Duration.ofMillis(lingerMs))
                    .withHttp("127.0.0.1", 0, 1 << 20).withDevice(Device.parse("--device", device), threads);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!verbose) {
            KafkaLogs.quiet();
        }
        boolean real = Files.isRegularFile(data);
        List<PreferencePair> pairs = real ? PairFile.read(data, false).records()
                : new SyntheticPreferences(11, 0.1).pairs(600 + items);
        int trainPairs = model == null ? 600 : 0;
        List<PromptResponse> texts = new ArrayList<>(items);
        for (int i = trainPairs; i < pairs.size() && texts.size() < items; i++) {
            texts.add(new PromptResponse(pairs.get(i).prompt(), pairs.get(i).chosen()));
            if (texts.size() < items) {
                texts.add(new PromptResponse(pairs.get(i).prompt(), pairs.get(i).rejected()));
            }
        }
        if (texts.size() < items) {
            throw new BadInputException(data + " gives only " + texts.size() + " responses after the training pairs;"
                    + " lower --items");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("rewardstream-bench-scorer-");
        try {
            Path modelDir = model;
            if (modelDir == null) {
                err.println("training a model on 600 pairs of " + (real ? data : "synthetic data") + " to serve");
                err.flush();
                modelDir = work.resolve("model");
                OfflineTrainer.train(new TrainRequest(pairs.subList(0, trainPairs), 0, real ? data.toString()
                        : "synthetic", EncoderSource.resolve(EncoderSource.DEFAULT), FeatureLayout.SEPARATE, 256, 0.1,
                        TrainingOptions.defaults(42), "bench-scorer", 1, threads), modelDir, TrainingProgress.SILENT);
            }
            ScorerBenchmark.Result r = ScorerBenchmark.run(modelDir, texts, settings, work, line -> {
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
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("raw_per_s", round(r.rawPerSecond()));
            result.put("pipeline_per_s", round(r.pipelinePerSecond()));
            result.put("ratio", round(r.ratio()));
            result.put("p50_ms", round(r.p50Millis()));
            result.put("p99_ms", round(r.p99Millis()));
            result.put("latency_rate_per_s", round(r.latencyRatePerSecond()));
            result.put("sorted_per_s", round(r.sortedPerSecond()));
            result.put("unsorted_per_s", round(r.unsortedPerSecond()));
            result.put("prep_per_s_per_core", round(r.prepPerSecondPerCore()));
            result.put("items", r.items());
            result.put("batch_size", r.batchSize());
            result.put("mean_tokens", round(r.meanTokens()));
            result.put("texts", source);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("texts: %d responses from %s, %.1f tokens per encoded sequence on average, batch %d%n",
                    r.items(), source, r.meanTokens(), r.batchSize());
            out.printf("raw model      %8.1f items/s (batches sorted by length)%n", r.rawPerSecond());
            out.printf("pipeline       %8.1f items/s through Kafka (ratio %.2f, goal >= 0.9)%n",
                    r.pipelinePerSecond(), r.ratio());
            out.printf("latency        p50 %.1f ms, p99 %.1f ms at %.1f items/s (half the pipeline rate)%n",
                    r.p50Millis(), r.p99Millis(), r.latencyRatePerSecond());
            out.printf("length sorting %8.1f items/s sorted, %.1f unsorted (x%.2f)%n", r.sortedPerSecond(),
                    r.unsortedPerSecond(), r.sortedPerSecond() / r.unsortedPerSecond());
            out.printf("preparation    %8.1f items/s per core (Avro decode, tokenize, pad, tensors; no inference)%n",
                    r.prepPerSecondPerCore());
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
