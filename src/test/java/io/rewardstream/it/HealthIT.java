package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.bench.TcpProxy;
import io.rewardstream.config.Topics;
import io.rewardstream.embedded.EmbeddedKafka;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.RealRegistry;
import io.rewardstream.testkit.JarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health that means something, checked on the jar as operators run it ({@code run --role scorer}): while the broker
 * or the registry cannot be reached at start-up the HTTP port is up, liveness answers 200 and readiness says what is
 * wrong (and the log says it once per attempt) until the service appears; a scoring stream that dies makes liveness
 * fail and the process exit non-zero by itself, so that an orchestrator restarts it.
 */
class HealthIT {

    private static final Pattern STATUS = Pattern.compile("(?m)^scorer status page: (http://\\S+/)$");
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafka kafka;

    @AfterEach
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private JarProcess scorer(String bootstrap, String registryUrl) throws Exception {
        Map<String, String> env = JarProcess.roleEnv(bootstrap, registryUrl, temp.resolve("state"));
        env.put("REWARDSTREAM_SCORING_APPLICATION_ID", "health-" + UUID.randomUUID());
        env.put("REWARDSTREAM_TOPICS_PARTITIONS", "2");
        return JarProcess.start(temp.resolve("scorer"), "scorer", env, List.of("run", "--role", "scorer", "--model",
                ModelFixtures.trained(FeatureLayout.SEPARATE).toString(), "--http-port", "0", "--create-topics"));
    }

    private static String statusUrl(JarProcess process) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                .until(() -> STATUS.matcher(process.output()).find() || !process.isAlive());
        Matcher m = STATUS.matcher(process.output());
        assertThat(m.find()).as("the status line; output:%n%s", process.output()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeHealthAndSayWhyWhileTheBrokerIsUnreachableThenStartOnceItIsUp() throws Exception {
        // Given a scorer started against a broker address where nothing listens yet
        int port = EmbeddedKafka.freePort();
        String bootstrap = "127.0.0.1:" + port;
        try (JarProcess scorer = scorer(bootstrap, RealRegistry.url())) {
            String url = statusUrl(scorer);

            // Then its port answers: alive, not ready, saying why; and the log says so too
            assertThat(get(url + "healthz").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofMinutes(1)).until(() -> get(url + "readyz").body()
                    .contains("Kafka at " + bootstrap + " is unreachable"));
            HttpResponse<String> ready = get(url + "readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("retrying in").contains("attempt");
            assertThat(scorer.output()).contains("Kafka at " + bootstrap + " is unreachable");

            // When the broker comes up on that address
            kafka = EmbeddedKafka.start(temp.resolve("kafka"), port);

            // Then the scorer connects by itself, creates its topics and becomes ready; SIGTERM stops it cleanly
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get(url + "readyz").statusCode() == 200 || !scorer.isAlive());
            assertThat(get(url + "readyz").statusCode()).as(scorer.output()).isEqualTo(200);
            assertThat(scorer.terminate(120)).as(scorer.output()).isZero();
        }
    }

    @Test
    void shouldSayWhyWhileTheRegistryIsUnreachableThenStartOnceItIsBack() throws Exception {
        // Given a broker, and the registry behind a relay that is cut
        kafka = EmbeddedKafka.start(temp.resolve("kafka"));
        URI real = URI.create(RealRegistry.url());
        try (TcpProxy relay = TcpProxy.start(0, real.getHost(), real.getPort())) {
            relay.cut();
            String registryUrl = "http://127.0.0.1:" + relay.port() + real.getPath();
            try (JarProcess scorer = scorer(kafka.bootstrapServers(), registryUrl)) {
                String url = statusUrl(scorer);

                // Then readiness names the registry while it cannot be reached
                await().atMost(Duration.ofMinutes(2)).until(() -> get(url + "readyz").body()
                        .contains("the schema registry at " + registryUrl + " is unreachable"));
                assertThat(get(url + "healthz").statusCode()).isEqualTo(200);

                // When it is back
                relay.restore();

                // Then the scorer starts by itself
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                        .until(() -> get(url + "readyz").statusCode() == 200 || !scorer.isAlive());
                assertThat(get(url + "readyz").statusCode()).as(scorer.output()).isEqualTo(200);
                assertThat(scorer.terminate(120)).as(scorer.output()).isZero();
            }
        }
    }

    @Test
    void shouldFailLivenessAndExitNonZeroWhenItsStreamDies() throws Exception {
        // Given a ready scorer
        kafka = EmbeddedKafka.start(temp.resolve("kafka"));
        try (JarProcess scorer = scorer(kafka.bootstrapServers(), RealRegistry.url())) {
            String url = statusUrl(scorer);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> get(url + "readyz").statusCode() == 200 || !scorer.isAlive());

            // When the topic it reads is deleted under it
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                admin.deleteTopics(Set.of(TOPICS.responses())).all().get();
            }

            // Then the process ends by itself with exit code 1, having said why
            int exit = scorer.waitFor(180);
            assertThat(exit).as(scorer.output()).isEqualTo(1);
            assertThat(scorer.output()).contains("Not alive any more: the scoring stream")
                    .contains("error: the scoring stream");
            assertThat(scorer.crashReports()).isEmpty();
        }
    }
}
