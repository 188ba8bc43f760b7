package io.rewardstream.trainer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.http.HttpSettings;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.streams.StreamsWatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import io.rewardstream.telemetry.Telemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerHttpServerTest {

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(TrainerHttpServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private KafkaStreams streams() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "trainer-http-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, temp.toString());
        return new KafkaStreams(builder.build(), props);
    }

    @Test
    void shouldBeAliveButNotReadyBeforeTheStreamRunsAndDownOnceItStopped() throws Exception {
        // Given a trainer's port watching a Kafka Streams client that has not started
        Health health = new Health();
        KafkaStreams streams = streams();
        StreamsWatch.attach(streams, "the training stream", health);
        try (Telemetry telemetry = new Telemetry("trainer test");
             TrainerHttpServer server = TrainerHttpServer.start(new HttpSettings("127.0.0.1", 0, 4096, 10),
                     health, telemetry)) {

            // Then it is alive, not ready, and says why
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("the training stream has not started");
            assertThat(get(server, "/").body()).contains("<html").contains("/status.js");
            assertThat(get(server, "/api/status").body()).contains("\"title\":\"trainer test\"");
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);

            // When the client stops without the process stopping
            streams.close(Duration.ofSeconds(10));

            // Then liveness fails, naming the client and its state, and the process is asked to stop
            HttpResponse<String> health503 = get(server, "/healthz");
            assertThat(health503.statusCode()).isEqualTo(503);
            assertThat(health503.body()).contains("the training stream stopped")
                    .contains("while the process was not stopping");
            assertThat(health.stopRequested()).isTrue();
        }
    }

    @Test
    void shouldSayWhileWaitingForKafkaWhatItWaitsForAndStayAlive() throws Exception {
        // Given a trainer's port whose start-up cannot reach its cluster
        Health health = new Health();
        try (Telemetry telemetry = new Telemetry("trainer test");
             TrainerHttpServer server = TrainerHttpServer.start(new HttpSettings("127.0.0.1", 0, 4096, 10),
                     health, telemetry)) {
            health.notReady("start-up: Kafka at 127.0.0.1:9", "Kafka at 127.0.0.1:9 is unreachable: refused;"
                    + " retrying in 4 s (attempt 3)");

            // Then
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("Kafka at 127.0.0.1:9 is unreachable").contains("attempt 3");
        }
    }
}
