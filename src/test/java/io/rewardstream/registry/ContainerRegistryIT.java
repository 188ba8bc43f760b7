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
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same contract against the registry's container image, where Docker is available; skipped where it
 * is not (the script-started registry in {@link ApicurioRegistryIT} covers the same behaviour).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerRegistryIT {

    @Container
    private static final GenericContainer<?> REGISTRY =
            new GenericContainer<>(DockerImageName.parse("apicurio/apicurio-registry-mem:2.6.13.Final"))
                    .withExposedPorts(8080)
                    .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200))
                    .withStartupTimeout(Duration.ofMinutes(3));

    private static String url() {
        return "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/ccompat/v7";
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
