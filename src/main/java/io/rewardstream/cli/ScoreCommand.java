package io.rewardstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rewardstream.data.JsonLines;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code score}: adds rewards to JSONL lines {"prompt", "response"[, "id"]}. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score JSONL lines {\"prompt\", \"response\"[, \"id\"]}; writes each line back with \"reward\","
                + " \"reward_normalized\" and \"truncated\" added.")
final class ScoreCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK = 512;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "FILE.jsonl", description = "Responses to score.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE.jsonl", description = "Where to write (default: stdout).")
    Path output;

    @Option(names = "--strict", description = "Stop at the first bad line instead of skipping it.")
    boolean strict;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads (0: one per core).")
    int threads;

    @Override
    public Integer call() throws IOException {
        JsonLines.Read<ObjectNode> read = JsonLines.read(input, node -> {
            JsonLines.text(node, "prompt");
            JsonLines.text(node, "response");
            return (ObjectNode) node;
        }, strict);
        TrainCommand.reportSkipped(spec.commandLine().getErr(), read.skipped());
        try (RewardModel rewardModel = RewardModel.load(model, threads); Writer writer = open()) {
            List<ObjectNode> lines = read.records();
            for (int from = 0; from < lines.size(); from += CHUNK) {
                List<ObjectNode> chunk = lines.subList(from, Math.min(lines.size(), from + CHUNK));
                List<RewardModel.Score> scores = rewardModel.score(chunk.stream()
                        .map(n -> new PromptResponse(n.get("prompt").asText(), n.get("response").asText())).toList());
                for (int i = 0; i < chunk.size(); i++) {
                    ObjectNode line = chunk.get(i);
                    line.put("reward", scores.get(i).reward());
                    line.put("reward_normalized", scores.get(i).normalized());
                    line.put("truncated", scores.get(i).truncated());
                    line.put("model_version", rewardModel.metadata().version());
                    writer.write(JSON.writeValueAsString(line));
                    writer.write('\n');
                }
            }
        }
        return Main.OK;
    }

    private Writer open() throws IOException {
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            return new Writer() {
                @Override
                public void write(char[] buffer, int offset, int length) {
                    out.write(buffer, offset, length);
                }

                @Override
                public void flush() {
                    out.flush();
                }

                @Override
                public void close() {
                    out.flush();
                }
            };
        }
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8));
    }

}
