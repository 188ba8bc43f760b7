package io.rewardstream.trainer.http;

import static org.assertj.core.api.Assertions.assertThat;

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
        KafkaStreams streams = streams();
        try (TrainerHttpServer server = TrainerHttpServer.start("127.0.0.1", 0, "trainer-http-test", streams)) {
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(server, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("the training stream is CREATED");
            assertThat(get(server, "/").body()).contains("\"role\":\"trainer\"").contains("trainer-http-test");
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);

            streams.close(Duration.ofSeconds(10));

            HttpResponse<String> health = get(server, "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("NOT_RUNNING");
        }
    }
}
