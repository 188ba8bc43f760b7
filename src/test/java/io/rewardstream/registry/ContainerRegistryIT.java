package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.bench.ScoredResponseSamples;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same contract against the registry's container image, started by Testcontainers: the image named by
 * {@code REGISTRY_IMAGE}, else the local one that {@code scripts/images.sh registry} builds from the Maven Central
 * artifact (no image registry is reached). The container shares the host's network and listens on a free port of
 * 127.0.0.1. Skipped, saying why, where no Docker engine answers or the image is absent (the script-started registry
 * in {@link ApicurioRegistryIT} covers the same behaviour).
 */
@Testcontainers(disabledWithoutDocker = true)
@EnabledIf(value = "imageIsThere", disabledReason = "the registry image is not on this Docker engine (REGISTRY_IMAGE,"
        + " or scripts/images.sh registry)")
class ContainerRegistryIT {

    private static final String IMAGE = System.getenv().getOrDefault("REGISTRY_IMAGE",
            "rewardstream/apicurio-registry-mem:" + System.getProperty("apicurio.version", "2.6.13.Final"));
    private static final int PORT = freePort();

    @Container
    private static final GenericContainer<?> REGISTRY = new GenericContainer<>(DockerImageName.parse(IMAGE))
            .withNetworkMode("host")
            .withEnv("QUARKUS_HTTP_HOST", "127.0.0.1")
            .withEnv("QUARKUS_HTTP_PORT", Integer.toString(PORT))
            .waitingFor(Wait.forLogMessage(".*apicurio-registry-app.*started in.*", 1))
            .withStartupTimeout(Duration.ofMinutes(3));

    static boolean imageIsThere() {
        return io.rewardstream.testkit.DockerEngine.hasImage(IMAGE);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String url() {
        String base = "http://127.0.0.1:" + PORT;
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> ready(base));
        return base + "/apis/ccompat/v7";
    }

    private static boolean ready(String base) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/health/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void shouldRoundTripRecordsThroughTheContainerRegistry() {
        // Given
        List<ScoredResponse> records = ScoredResponseSamples.generate(1_000, 8);
        AvroSerde<ScoredResponse> serde = AvroSerde.specific(ScoredResponse.class,
                SchemaRegistryClients.create(RealRegistry.clientConfig(url())), AvroSerdeConfig.defaults());

        // When
        List<ScoredResponse> decoded = records.stream()
                .map(r -> serde.deserializer().deserialize("rlhf.rewards", serde.serializer().serialize("rlhf.rewards", r)))
                .toList();

        // Then
        assertThat(decoded).isEqualTo(records);
    }

    @Test
    void shouldRefuseIncompatibleEvolutionWith409() {
        // Given
        CachingSchemaRegistryClient client = SchemaRegistryClients.create(RealRegistry.clientConfig(url()));
        Schema v1 = SchemaBuilder.record("Boxed").namespace("it").fields().requiredString("id").endRecord();
        Schema broken = SchemaBuilder.record("Boxed").namespace("it").fields().requiredString("id")
                .requiredLong("extra").endRecord();
        client.register("boxed-value", v1);
        client.setCompatibility("boxed-value", "BACKWARD");

        // When / Then
        assertThatThrownBy(() -> client.register("boxed-value", broken))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));
    }
}
