package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command, run as a user would: {@code java -jar target/rewardstream.jar ...}. */
class JarIT {

    @TempDir
    Path temp;

    private record Run(int exitCode, String out) {
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = temp.resolve("out-" + System.nanoTime() + ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
}
