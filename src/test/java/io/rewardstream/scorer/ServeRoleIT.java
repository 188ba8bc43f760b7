package io.rewardstream.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.release.Releases;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.testkit.KraftClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} following releases on a real broker: hot swap and refusal; serving the given model while the broker
 * cannot be reached, and readiness naming that broker when no model was given. Serving on while a topic that was
 * being read stops answering is {@code ReleaseWatcherTest}'s.
 */
class ServeRoleIT {

    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String scope = "serve-it-" + UUID.randomUUID();
    private final String registryUrl = "mock://" + scope;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path temp;

    @AfterEach
    void dropScope() {
        MockRegistryScopes.drop(scope);
    }

    private static ScorerSettings settings() {
        return ScorerSettings.defaults().withHttp("127.0.0.1", 0, 1 << 20).withLinger(Duration.ofMillis(5));
    }

    private JsonNode getReward(ServeRole role) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", List.of("\n\nHuman: Hi?\n\nAssistant: Hello there."),
                "prompts", List.of("\n\nHuman: Hi?\n\nAssistant:"), "labels", List.of("")));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(role.url()).resolve("/get_reward"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> ready(ServeRole role) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(role.url()).resolve("/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldSwapInPromotedReleasesAndRefuseABadOneWhileServing() throws Exception {
        // Given a model directory served while releases are followed
        Path dir = ModelFixtures.trained(FeatureLayout.SEPARATE);
        String modelName = ModelDirectory.readMetadata(dir).name();
        Topics topics = Topics.defaults();
        cluster.createTopics(Map.of(topics.models(), 1, topics.artifacts(), 1, topics.metrics(), 1));
        Connection connection = new Connection(cluster.bootstrapServers(), registryUrl, topics, temp,
                Map.of(), Map.of());
        try (ServeRole serving = ServeRole.start(settings(), dir, new ServeRole.Releases(connection, modelName))) {
            long fromDirectory = getReward(serving).get("model_version").asLong();
            var serde = AvroSerde.specific(ModelRelease.class,
                    SchemaRegistryClients.create(Map.of("schema.registry.url", registryUrl)), AvroSerdeConfig.defaults());
            try (KafkaProducer<String, ModelRelease> releases = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                    "all"), new StringSerializer(), serde.serializer())) {

                // When a newer release is promoted
                releases.send(new ProducerRecord<>(topics.models(), modelName,
                        Releases.of(dir, fromDirectory + 10).build())).get();

                // Then it is swapped in
                await().atMost(Duration.ofMinutes(1)).until(() -> getReward(serving).get("model_version").asLong()
                        == fromDirectory + 10);
                assertThat(getReward(serving).at("/extra_logs/model_version/0").asLong()).isEqualTo(fromDirectory + 10);
                assertThat(String.valueOf(serving.facts().get("releases"))).startsWith("following");

                // When a newer one with a corrupted head comes
                releases.send(new ProducerRecord<>(topics.models(), modelName,
                        Releases.of(dir, fromDirectory + 11).setHeadSha256("0".repeat(64)).build())).get();

                // Then it is refused and the good one keeps serving
                await().atMost(Duration.ofMinutes(1)).until(() -> serving.holder().lastRefusal().isPresent());
                assertThat(getReward(serving).get("model_version").asLong()).isEqualTo(fromDirectory + 10);
                assertThat(ready(serving).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldServeTheModelItWasGivenWhileTheBrokerCannotBeReached() throws Exception {
        // Given a model directory, and a cluster address where nothing listens
        Path dir = ModelFixtures.trained(FeatureLayout.SEPARATE);
        var metadata = ModelDirectory.readMetadata(dir);
        Connection nowhere = new Connection("127.0.0.1:1", registryUrl, Topics.defaults(), temp, Map.of(), Map.of());

        // When serve starts following releases there
        try (ServeRole role = ServeRole.start(settings(), dir, new ServeRole.Releases(nowhere, metadata.name()))) {

            // Then it says it cannot follow them, and scores with the model it was given all the same
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> String.valueOf(role.facts().get("releases")).contains("cannot follow"));
            JsonNode answer = getReward(role);
            assertThat(answer.get("model_version").asLong()).isEqualTo(metadata.version());
            assertThat(answer.get("rewards")).hasSize(1);
            assertThat(answer.get("rewards").get(0).isNumber()).isTrue();
        }
    }

    @Test
    void shouldSayWhyItIsNotReadyWhenTheBrokerCannotBeReachedAndNoModelWasGiven() throws Exception {
        // Given a cluster address where nothing listens
        Connection nowhere = new Connection("127.0.0.1:1", registryUrl, Topics.defaults(), temp, Map.of(), Map.of());

        // When
        try (ServeRole role = ServeRole.start(settings(), null, new ServeRole.Releases(nowhere, "reward-model"))) {

            // Then it answers at once, not ready, and says why
            await().atMost(Duration.ofMinutes(1)).until(() -> ready(role).body().contains("cannot follow"));
            HttpResponse<String> ready = ready(role);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(ready.body()).get("reason").asText()).contains("no reward model loaded yet")
                    .contains("releases: cannot follow rlhf.reward-models");
        }
    }
}
