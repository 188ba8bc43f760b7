package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @TempDir
    Path temp;

    @Test
    void shouldFailNamingTheScorerKeyWhoseValueIsWrongWithExitCodeTwo() throws Exception {
        Path file = temp.resolve("scorer.properties");
        Files.writeString(file, "scoring.batch.size=0\n");

        CliRun run = CliRun.of("run", "--role", "scorer", "--bootstrap-servers", "x:9092",
                "--schema-registry-url", "mock://r", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("scoring.batch.size");
    }

    @Test
    void shouldRefuseAModelDirectoryForTheTrainerRole() {
        CliRun run = CliRun.of("run", "--role", "trainer", "--bootstrap-servers", "x:9092",
                "--schema-registry-url", "mock://r", "--model", temp.toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("--model is a scorer option");
    }

    @Test
    void shouldRefuseAnUnknownRole() {
        CliRun run = CliRun.of("run", "--role", "painter");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void shouldFailNamingTheKeyWhenTheConfigFileHasAnUnknownKey() throws Exception {
        Path file = temp.resolve("trainer.properties");
        Files.writeString(file, "training.intervall=5m\n");

        CliRun run = CliRun.of("run", "--role", "trainer", "--bootstrap-servers", "x:9092",
                "--schema-registry-url", "mock://r", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("training.intervall");
    }

    @Test
    void shouldRequireTheSchemaRegistryUrl() {
        CliRun run = CliRun.of("run", "--role", "trainer", "--bootstrap-servers", "x:9092");

        assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
        assertThat(run.err()).contains("schema.registry.url");
    }

    @Test
    void shouldListRunAndBenchTrainerInTheHelp() {
        assertThat(CliRun.of("--help").out()).contains("run");
        assertThat(CliRun.of("bench", "--help").out()).contains("trainer");
    }
}
