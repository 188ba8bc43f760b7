package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.common.BadInputException;
import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.JsonLines;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.evaluation.LengthRule;
import io.rewardstream.evaluation.MetricsMap;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.model.RewardModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eval}: measures a model on JSONL preference pairs. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on JSONL pairs: accuracy, log loss, calibration, length correlation.")
final class EvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--pairs", required = true, paramLabel = "FILE.jsonl", description = "Preference pairs.")
    Path pairs;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout.")
    boolean json;

    @Option(names = "--strict", description = "Stop at the first bad line instead of skipping it.")
    boolean strict;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (0: one per core).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JsonLines.Read<PreferencePair> read = PairFile.read(pairs, strict);
        TrainCommand.reportSkipped(spec.commandLine().getErr(), read.skipped());
        if (read.records().isEmpty()) {
            throw new BadInputException(pairs + ": no usable pairs");
        }
        try (RewardModel rewardModel = RewardModel.load(model, threads)) {
            EncodedPairs encoded = EncodedPairs.encode(rewardModel.extractor(), read.records(), (done, total) -> { });
            PairwiseMetrics metrics = RewardPairs.evaluate(rewardModel.head(), encoded.features(),
                    rewardModel.metadata().temperature());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model_name", rewardModel.metadata().name());
            result.put("model_version", rewardModel.metadata().version());
            result.putAll(MetricsMap.of(metrics));
            result.put("pairs", metrics.pairs());
            result.put("skipped_lines", read.skipped().size());
            result.put("truncated_pairs", encoded.truncated());
            result.put("shorter_wins_accuracy", LengthRule.accuracy(encoded.pairs(), LengthRule.SHORTER));
            result.put("longer_wins_accuracy", LengthRule.accuracy(encoded.pairs(), LengthRule.LONGER));
            if (json) {
                out.println(JSON.writeValueAsString(result));
            } else {
                result.forEach((key, value) -> out.printf("%-22s %s%n", key, format(value)));
            }
            out.flush();
        }
        return Main.OK;
    }

    private static String format(Object value) {
        return value instanceof Double d ? String.format("%.4f", d) : String.valueOf(value);
    }
}
