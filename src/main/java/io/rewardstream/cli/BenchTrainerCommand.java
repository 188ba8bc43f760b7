package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.bench.TrainerBenchmark;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.trainer.retrain.RetrainSetup;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench trainer}: ingest rate against raw encoding, and retrain wall time at 10k and 100k pairs. */
@Command(name = "trainer", mixinStandardHelpOptions = true,
        description = "Trainer ingest rate next to raw encoder throughput, and retrain time for 10,000 and 100,000 pairs.")
final class BenchTrainerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "500", description = "Preference events to ingest (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--encoder", defaultValue = EncoderSource.DEFAULT, description = "Encoder name or directory.")
    String encoderName;

    @Option(names = "--threads", defaultValue = "2", description = "Encoder threads.")
    int threads;

    @Option(names = "--data", defaultValue = "../shared/data/hh-rlhf-harmless-4k.jsonl", paramLabel = "FILE.jsonl",
            description = "Pairs whose texts are ingested (default ${DEFAULT-VALUE}: real prompts, which rarely"
                    + " repeat); synthetic pairs (80 distinct prompts) when the file does not exist.")
    Path data;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        TrainerBenchmark.Result r;
        try (TextEncoder encoder = TextEncoder.load(EncoderSource.resolve(encoderName), threads,
                TextEncoder.DEFAULT_BATCH_SIZE)) {
            RetrainSetup setup = new RetrainSetup(new FeatureExtractor(encoder, FeatureLayout.SEPARATE, 256),
                    TrainingOptions.defaults(42));
            if (Files.isRegularFile(data)) {
                List<PreferencePair> pairs = PairFile.read(data, false).records();
                if (pairs.size() < events + 50) {
                    throw new BadInputException(data + " holds " + pairs.size() + " usable pairs; --events " + events
                            + " needs " + (events + 50));
                }
                r = TrainerBenchmark.run(setup, pairs.subList(0, 50), pairs.subList(50, 50 + events));
            } else {
                r = TrainerBenchmark.run(setup, events);
            }
        }
        String texts = Files.isRegularFile(data) ? data.toString() : "synthetic";
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ingest_per_s", round(r.ingestPerSecond()));
            result.put("encoder_per_s", round(r.encoderPerSecond()));
            result.put("ratio", round(r.ratio()));
            result.put("retrain_10k_s", round(r.retrain10kSeconds()));
            result.put("retrain_100k_s", round(r.retrain100kSeconds()));
            result.put("events", r.events());
            result.put("distinct_prompts", r.distinctPrompts());
            result.put("texts", texts);
            result.put("cores", Runtime.getRuntime().availableProcessors());
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.printf("ingest      %8.1f pairs/s (%d events of %s, %d distinct prompts)%n", r.ingestPerSecond(),
                    r.events(), texts, r.distinctPrompts());
            out.printf("raw encoder %8.1f pairs/s for the same texts (ratio %.2f, goal >= 0.8)%n",
                    r.encoderPerSecond(), r.ratio());
            out.printf("retrain     %8.2f s at 10,000 pairs, %.2f s at 100,000 pairs (goal < 60 s)%n",
                    r.retrain10kSeconds(), r.retrain100kSeconds());
        }
        out.flush();
        return Main.OK;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
