package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.learning.finetune.TinyPairs;
import io.rewardstream.onnx.TinyBerts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, run as a user would: {@code java -jar target/rewardstream.jar ...}. */
class JarIT {

    @TempDir
    Path temp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exitCode, String out) {
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        Path log = temp.resolve("out-" + System.nanoTime() + ".txt");
        Process process = start(List.of(args), log);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the command ends").isTrue();
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRunTheOfflineDemoEndToEndFromTheJar() throws Exception {
        Run run = jar("offline-demo", "--work-dir", temp.resolve("demo").toString(), "--pairs", "600");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("2. trained").contains("3. test accuracy").contains("5. exported");
        assertThat(temp.resolve("demo").resolve("export").resolve("reward-model.onnx")).exists();
        Matcher gap = Pattern.compile("by at most ([0-9.eE+-]+)").matcher(run.out());
        assertThat(gap.find()).isTrue();
        assertThat(Double.parseDouble(gap.group(1))).isLessThan(1e-4);
    }

    @Test
    void shouldExitWithTwoOnAnUnknownOption() throws Exception {
        Run run = jar("train", "--pairs", "p.jsonl", "--out", "m", "--no-such-option");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("Unknown option");
    }

    @Test
    void shouldStopAFineTuneOnSigtermWithACheckpointThatResumeFinishes() throws Exception {
        // Given: a fine-tune of a tiny BERT that runs long enough to be stopped
        Path encoder = Files.createDirectories(temp.resolve("tiny-bert"));
        Files.write(encoder.resolve("model.onnx"), TinyBerts.orderBlindEncoder(5));
        Files.write(encoder.resolve("tokenizer.json"), TinyPairs.tokenizerJson());
        Path pairs = temp.resolve("order.jsonl");
        List<String> lines = new ArrayList<>();
        for (PreferencePair p : TinyPairs.orderRule(9, 400)) {
            lines.add(JSON.writeValueAsString(Map.of("prompt", p.prompt(), "chosen", p.chosen(), "rejected",
                    p.rejected())));
        }
        Files.write(pairs, lines);
        Path model = temp.resolve("tuned");
        List<String> train = List.of("train", "--pairs", pairs.toString(), "--out", model.toString(), "--encoder",
                encoder.toString(), "--max-length", Integer.toString(TinyPairs.MAX_LENGTH), "--encoder-training",
                "full", "--recipe", "epochs=60,patience=60,lr=1e-3", "--threads", "1");
        Path log = temp.resolve("first.txt");
        Process first = start(train, log);

        // When: SIGTERM once the first epoch is done
        try {
            Awaitility.await().atMost(Duration.ofMinutes(3))
                    .until(() -> Files.readString(log, StandardCharsets.UTF_8).contains("fine-tune: epoch 1,"));
            first.destroy();
            assertThat(first.waitFor(3, TimeUnit.MINUTES)).as("the run stops").isTrue();
        } finally {
            first.destroyForcibly();
        }
        String stopped = Files.readString(log, StandardCharsets.UTF_8);
        boolean modelAfterStop = Files.exists(model);
        List<String> resume = new ArrayList<>(train);
        resume.add("--resume");
        Run resumed = jar(resume.toArray(String[]::new));

        // Then
        assertThat(stopped).contains("stopped: the fine-tune's checkpoint is in");
        assertThat(stopped).doesNotContain("fine-tune: epoch 60,");
        assertThat(modelAfterStop).as("no model from a stopped run").isFalse();
        assertThat(resumed.exitCode()).as(resumed.out()).isZero();
        assertThat(resumed.out()).contains("fine-tune: epoch 60,").doesNotContain("fine-tune: epoch 1,");
        assertThat(JSON.readTree(model.resolve("metadata.json").toFile()).at("/training/epochs").asInt())
                .isEqualTo(60);
        assertThat(temp.resolve("tuned.checkpoint")).as("removed once the run finished").doesNotExist();
    }

    /** {@code java -jar target/rewardstream.jar ARGS} with stdout and stderr in {@code log}. */
    private Process start(List<String> args, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
