package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path pairsFile(int count, String... extraLines) throws IOException {
        List<String> lines = new ArrayList<>();
        for (PreferencePair p : new SyntheticPreferences(4, 0).pairs(count)) {
            lines.add(JSON.writeValueAsString(Map.of("prompt", p.prompt(), "chosen", p.chosen(),
                    "rejected", p.rejected())));
        }
        lines.addAll(List.of(extraLines));
        Path file = temp.resolve("pairs.jsonl");
        Files.write(file, lines);
        return file;
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "score", "export", "demo", "offline-demo", "run", "topology", "bench",
        "bench scorer", "bench encoder", "bench train", "bench accuracy"})
    void shouldPrintHelpForEveryCommand(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"top-x", "frozen", "full,speed=2", "top-2,epochs=0"})
    void shouldRefuseABadFineTuningRecipeForTheAccuracyBenchmarkWithTwo(String recipe) throws IOException {
        CliRun run = CliRun.of("bench", "accuracy", "--pairs", pairsFile(40).toString(), "--no-frozen",
                "--finetune", recipe);

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("--finetune " + recipe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--noise=0.7", "--duration=soon", "--preferences-per-second=0", "--min-pairs=1"})
    void shouldRefuseBadDemoOptionsWithTwoBeforeStartingAnything(String option) {
        CliRun run = CliRun.of("demo", option);

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains(option.substring(0, option.indexOf('=')));
    }

    @Test
    void shouldRefuseADemoReplayFileThatDoesNotExist() {
        CliRun run = CliRun.of("demo", "--preferences", temp.resolve("none.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("none.jsonl").contains("not a file");
    }

    @Test
    void shouldRefuseANonEmptyDemoWorkDir() throws IOException {
        Files.writeString(temp.resolve("something.txt"), "x");

        CliRun run = CliRun.of("demo", "--work-dir", temp.toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("is not empty");
    }

    @Test
    void shouldExitWithTwoOnAMissingRequiredOption() {
        CliRun run = CliRun.of("train", "--out", temp.toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("--pairs");
    }

    @Test
    void shouldExitWithTwoNamingTheFileWhenPairsAreMissing() {
        CliRun run = CliRun.of("train", "--pairs", temp.resolve("none.jsonl").toString(), "--out",
                temp.resolve("m").toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("none.jsonl: no such file");
    }

    @Test
    void shouldStopAtTheFirstBadLineWithStrictAndExitWithTwo() throws IOException {
        Path pairs = pairsFile(3, "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"x\"}");

        CliRun run = CliRun.of("train", "--pairs", pairs.toString(), "--out", temp.resolve("m").toString(), "--strict");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("pairs.jsonl:4: chosen and rejected are identical");
        assertThat(temp.resolve("m")).doesNotExist();
    }

    @Test
    void shouldTrainSkippingBadLinesAndReportTheirCount() throws IOException {
        Path pairs = pairsFile(150, "not json", "{\"prompt\":\"p\",\"chosen\":\"a\"}");
        Path model = temp.resolve("model");

        CliRun run = CliRun.of("train", "--pairs", pairs.toString(), "--out", model.toString(), "--max-length", "64",
                "--seed", "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("pairs.jsonl:151: malformed JSON").contains("pairs.jsonl:152: missing field");
        assertThat(run.out()).contains("2 skipped lines").contains("validation accuracy");
        assertThat(model.resolve("metadata.json")).exists();
    }

    @Test
    void shouldPrintExactlyOneJsonObjectFromEval() throws IOException {
        Path pairs = pairsFile(40);
        Path model = ModelFixtures.trained(FeatureLayout.SEPARATE);

        CliRun run = CliRun.of("eval", "--pairs", pairs.toString(), "--model", model.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = JSON.readTree(run.out());
        assertThat(run.out().strip().lines()).hasSize(1);
        assertThat(result.fieldNames()).toIterable().contains("pairs", "accuracy", "log_loss", "ece",
                "length_correlation", "model_version");
        assertThat(result.get("pairs").asInt()).isEqualTo(40);
        assertThat(result.get("model_version").asLong()).isEqualTo(3);
        assertThat(result.get("accuracy").asDouble()).isGreaterThan(0.9);
    }

    @Test
    void shouldAddRewardsToEachScoredLineAndKeepItsFields() throws IOException {
        Path input = temp.resolve("responses.jsonl");
        Files.write(input, List.of("{\"id\":\"r1\",\"prompt\":\"How do I paint a room?\",\"response\":\"Tape the edges.\"}",
                "{\"id\":\"r2\",\"prompt\":\"How do I paint a room?\",\"response\":\"\"}",
                "{\"id\":\"r3\",\"prompt\":\"How do I paint a room?\",\"response\":\"Why would you even ask that?\"}"));
        Path output = temp.resolve("scored.jsonl");

        CliRun run = CliRun.of("score", "--model", ModelFixtures.trained(FeatureLayout.SEPARATE).toString(), "--input",
                input.toString(), "--output", output.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("responses.jsonl:2: field \"response\" is empty");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(n -> n.get("id").asText()).containsExactly("r1", "r3");
        assertThat(lines).allSatisfy(n -> assertThat(n.has("reward") && n.has("reward_normalized")).isTrue());
        assertThat(lines.get(0).get("reward").asDouble()).isGreaterThan(lines.get(1).get("reward").asDouble());
    }

    @Test
    void shouldExitWithTwoForADirectoryThatIsNotAModel() {
        CliRun run = CliRun.of("export", "--model", temp.toString(), "--out", temp.resolve("x.onnx").toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("is not a model directory");
    }
}
