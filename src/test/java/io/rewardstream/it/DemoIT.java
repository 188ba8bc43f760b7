package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, {@code java -jar target/rewardstream.jar demo}, run as a user runs it: a separate
 * JVM with its own embedded broker, both roles and the synthetic clients.
 */
class DemoIT {

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^(http://127\\.0\\.0\\.1:\\d+/)$");

    @TempDir
    Path temp;

    private Process start(Path log, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ErrorFile=" + temp.resolve("hs_err_pid%p.log"), "-jar", jar.toString(), "demo"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static String statusUrl(Path log) throws IOException {
        Matcher m = STATUS_LINE.matcher(read(log));
        return m.find() ? m.group(1) : null;
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    @Test
    void shouldTrainPromoteAndScoreThenStopByItselfAfterTheDuration() throws Exception {
        Path log = temp.resolve("demo.txt");
        Process demo = start(log, "--duration", "100s", "--report-every", "5s", "--min-pairs", "150",
                "--preferences-per-second", "20", "--training-interval", "10s");
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> statusUrl(log) != null || !demo.isAlive());
            String url = statusUrl(log);
            assertThat(url).as("the status page address on a line of its own; output so far:%n%s", read(log)).isNotNull();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> read(log).contains("model v1 promoted") || !demo.isAlive());
            assertThat(get(url)).contains("<title>RewardStream status</title>");
            assertThat(get(url + "api/status")).contains("RewardStream demo").contains("preference events sent")
                    .contains("models promoted");

            assertThat(demo.waitFor(4, TimeUnit.MINUTES)).as("the demo stops after --duration").isTrue();
            String out = read(log);
            assertThat(demo.exitValue()).as(out).isZero();
            assertThat(out).contains("model v1 promoted: held-out accuracy").contains("prequential accuracy")
                    .contains("demo finished after").contains("stopped cleanly");
            Matcher scored = Pattern.compile("(\\d+) of (\\d+) rollouts scored").matcher(out);
            assertThat(scored.find()).as(out).isTrue();
            assertThat(Long.parseLong(scored.group(1))).as("rewards read back").isPositive();
            Matcher dead = Pattern.compile("\\((\\d+) malformed, (\\d+) dead letters\\)").matcher(out);
            assertThat(dead.find()).as(out).isTrue();
            assertThat(Long.parseLong(dead.group(1))).as("the annotator sent malformed events").isPositive();
            // The last malformed events may still be on their way when the summary is printed.
            assertThat(Long.parseLong(dead.group(2))).as("malformed events reach the dead-letter topic").isPositive()
                    .isLessThanOrEqualTo(Long.parseLong(dead.group(1)));
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void shouldShutDownCleanlyOnATerminationSignal() throws Exception {
        Path log = temp.resolve("demo-signal.txt");
        Process demo = start(log, "--duration", "0");
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> statusUrl(log) != null || !demo.isAlive());
            assertThat(statusUrl(log)).as(read(log)).isNotNull();
            assertThat(get(statusUrl(log) + "healthz")).isNotEmpty();

            demo.destroy();

            assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("the demo exits on SIGTERM").isTrue();
            assertThat(read(log)).contains("demo stopped after").contains("shutting down").contains("stopped cleanly");
            assertThat(demo.exitValue()).as("a demo stopped by a signal exits 0; output:%n%s", read(log)).isZero();
            assertThat(temp).isDirectoryNotContaining("glob:**/hs_err*");
        } finally {
            demo.destroyForcibly();
        }
    }
}
