package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rewardstream.testkit.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a running demo in a real browser (Debian's Chromium, headless): the page loads its documents,
 * draws its charts with the points it was sent, and a screenshot of it is saved as {@code target/status-page.png}
 * (the README's picture is one of these). Skipped, saying why, where no Chromium is installed.
 */
class StatusPageBrowserIT {

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^(http://127\\.0\\.0\\.1:\\d+/)$");
    private static final Pattern CHART = Pattern.compile("data-chart=\"([a-z-]+)\"[^>]*?data-points=\"(\\d+)\"");
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    @TempDir
    Path temp;

    @Test
    void shouldDrawTheDemosChartsWithDataInABrowser() throws Exception {
        Optional<HeadlessChromium> found = HeadlessChromium.find(temp);
        assumeTrue(found.isPresent(), "no Chromium at $CHROMIUM, /usr/bin/chromium or /usr/bin/chromium-browser"
                + " (apt-get install -y chromium); skipping the status page's browser test");
        HeadlessChromium chromium = found.get();
        Path log = temp.resolve("demo.txt");
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "demo", "--duration", "0", "--flip-after", "60s", "--http-port", "0",
                "--work-dir", temp.resolve("work").toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> statusUrl(log) != null || !demo.isAlive());
            String url = statusUrl(log);
            assertThat(url).as("the status page address; output:%n%s", read(log)).isNotNull();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> get(url + "api/events").contains("\"kind\":\"promoted\"") || !demo.isAlive());
            waitForDriftIfItComes(url, demo);

            String dom = chromium.dumpDom(url, 10_000);
            chromium.screenshot(url, 1400, 3600, 10_000, SCREENSHOT);

            Map<String, Integer> points = new HashMap<>();
            Matcher m = CHART.matcher(dom);
            while (m.find()) {
                points.merge(m.group(1), Integer.parseInt(m.group(2)), Integer::sum);
            }
            assertThat(dom).contains("data-loaded=\"true\"").doesNotContain("data-error=");
            assertThat(points).as("points drawn per chart; page:%n%s", dom)
                    .containsKeys("accuracy", "preferences", "rewards", "batch-size", "latency", "scorer-lag",
                            "trainer-lag");
            for (String chart : List.of("accuracy", "preferences", "rewards", "batch-size", "latency")) {
                assertThat(points.get(chart)).as("points on chart %s", chart).isGreaterThan(3);
            }
            assertThat(dom).contains("v1 promoted").contains("Model in service").contains("held-out accuracy")
                    .doesNotContain("{1=");
            assertThat(SCREENSHOT).isRegularFile();
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(50_000);
        } finally {
            demo.destroy();
            if (!demo.waitFor(2, TimeUnit.MINUTES)) {
                demo.destroyForcibly();
            }
        }
        assertThat(read(log)).contains("stopped cleanly");
    }

    /** The picture is better with a drift alert on it; the test does not depend on one coming. */
    private static void waitForDriftIfItComes(String url, Process demo) {
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> get(url + "api/events").contains("\"kind\":\"drift\"") || !demo.isAlive());
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(20)).until(demo::isAlive);
        } catch (ConditionTimeoutException e) {
            // No drift alert within two minutes: the charts are checked all the same.
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static String statusUrl(Path log) throws IOException {
        Matcher m = STATUS_LINE.matcher(read(log));
        return m.find() ? m.group(1) : null;
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
