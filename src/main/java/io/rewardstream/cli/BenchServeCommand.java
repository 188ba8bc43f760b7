package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.BenchModels;
import io.rewardstream.bench.ScorerTexts;
import io.rewardstream.bench.ServeBenchmark;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.io.PrintWriter;
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

/** {@code bench serve}: concurrent single-sample clients against {@code serve}, next to whole batches. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Throughput and latency of serve (POST /get_reward on loopback): the same items posted one per"
                + " request by N concurrent clients (as OpenRLHF's client does), and as whole batches by one client.",
            "Texts are the prompts and responses of the real preference pairs when the data file exists, else"
                + " synthetic ones, each wrapped in a ChatML template."})
final class BenchServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--items", defaultValue = "512", description = "Items per measurement (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--clients", defaultValue = "1,16,256", split = ",", paramLabel = "N[,N...]",
            description = "Concurrent client counts (default ${DEFAULT-VALUE}); ratio and the top-level latency are"
                    + " those of the last.")
    List<Integer> clients;

    @Option(names = "--data", defaultValue = "../shared/data/hh-rlhf-harmless-4k.jsonl", paramLabel = "FILE.jsonl",
            description = "Pairs whose prompts and responses are the texts (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory to serve; by default one is trained first on 600 pairs of the same source.")
    Path model;

    @Option(names = "--batch-size", defaultValue = "64", description = "scoring.batch-size, and the size of the"
            + " whole batches (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-batch-tokens", defaultValue = "16384",
            description = "scoring.max-batch-tokens (default ${DEFAULT-VALUE}).")
    int maxBatchTokens;

    @Option(names = "--linger-ms", defaultValue = "20", description = "scoring.linger (default ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 for its default.")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, auto or cuda:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (items < batchSize || clients.isEmpty() || clients.stream().anyMatch(n -> n < 1)) {
            throw new BadInputException("--items must be at least --batch-size and --clients counts at least 1");
        }
        ScorerSettings settings;
        try {
            settings = ScorerSettings.defaults().withBatchSize(batchSize).withLinger(Duration.ofMillis(lingerMs))
                    .withRequestBatching(maxBatchTokens, Math.max((long) maxBatchTokens * 64, 1L << 20))
                    .withHttp("127.0.0.1", 0, 4 << 20).withDevice(Device.parse("--device", device), threads);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        boolean real = Files.isRegularFile(data);
        List<PreferencePair> pairs = real ? PairFile.read(data, false).records()
                : new SyntheticPreferences(11, 0.1).pairs(600 + items);
        int trainPairs = model == null ? 600 : 0;
        List<PromptResponse> texts = ScorerTexts.responses(pairs, trainPairs, items);
        if (texts.size() < items) {
            throw new BadInputException(data + " gives only " + texts.size() + " items after the training pairs;"
                    + " lower --items");
        }
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("rewardstream-bench-serve-");
        try {
            Path modelDir = BenchModels.givenOrTrained(model, pairs, trainPairs, real ? data.toString() : "synthetic",
                    "bench-serve", threads, work, err);
            ServeBenchmark.Result r = ServeBenchmark.run(modelDir, texts, settings, clients.stream().sorted().toList(),
                    line -> {
                        err.println("measuring: " + line);
                        err.flush();
                    });
            print(r, real ? data.toString() : "synthetic");
        } finally {
            Utils.delete(work.toFile());
        }
        return Main.OK;
    }

    private void print(ServeBenchmark.Result r, String source) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ServeBenchmark.Load busiest = r.busiest();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("concurrent_per_s", round(busiest.perSecond()));
            result.put("batched_per_s", round(r.batchedPerSecond()));
            result.put("ratio", round(r.ratio()));
            result.put("p50_ms", round(busiest.p50Millis()));
            result.put("p99_ms", round(busiest.p99Millis()));
            result.put("clients", busiest.clients());
            Map<String, Object> byClients = new LinkedHashMap<>();
            for (ServeBenchmark.Load load : r.loads()) {
                byClients.put(Integer.toString(load.clients()), Map.of("per_s", round(load.perSecond()),
                        "p50_ms", round(load.p50Millis()), "p99_ms", round(load.p99Millis()), "failed", load.failed()));
            }
            result.put("by_clients", byClients);
            result.put("batched_failed", r.batchedFailed());
            result.put("items", r.items());
            result.put("batch_size", r.batchSize());
            result.put("texts", source);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("%d items from %s; whole batches of %d: %.1f items/s%n", r.items(), source, r.batchSize(),
                    r.batchedPerSecond());
            for (ServeBenchmark.Load load : r.loads()) {
                out.printf("%4d clients, one sample per request: %7.1f items/s, p50 %.1f ms, p99 %.1f ms%s%n",
                        load.clients(), load.perSecond(), load.p50Millis(), load.p99Millis(),
                        load.failed() == 0 ? "" : ", " + load.failed() + " failed");
            }
            out.printf("ratio at %d clients: %.2f of the batched rate (goal >= 0.8)%n", busiest.clients(), r.ratio());
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
