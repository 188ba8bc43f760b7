package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.bench.ScoredResponseSamples;
import io.rewardstream.serde.AvroDeserializer;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.serde.AvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry goes away and comes back in the middle of a run. Apicurio's in-memory storage forgets
 * every schema on restart, so "recovering" means: producers and consumers that already know an id keep
 * working from their caches while it is down, a producer that needs the registry during the outage
 * retries until it is back and registers its schema again, and every record written decodes.
 * This test owns its registry instance (its own port and state directory) because it restarts it.
 */
class RegistryRestartIT {

    private static final String TOPIC = "rlhf.rewards";

    private final RegistryScript script = new RegistryScript(
            Path.of("target", "registry-restart-it").toAbsolutePath(), RegistryScript.freePort());
    private String url;

    @BeforeEach
    void startRegistry() {
        url = script.start();
    }

    @AfterEach
    void stopRegistry() {
        script.stop();
    }

    private AvroSerializer<ScoredResponse> producer() {
        Map<String, Object> config = RealRegistry.clientConfig(url);
        config.put(RegistryClientConfig.MAX_RETRIES, "200");
        config.put(RegistryClientConfig.RETRIES_WAIT_MS, "100");
        config.put(RegistryClientConfig.RETRIES_MAX_WAIT_MS, "500");
        return new AvroSerializer<>(SchemaRegistryClients.create(config), AvroSerdeConfig.defaults(), false);
    }

    @Test
    void shouldLoseNothingWhenRegistryRestartsMidRun() throws Exception {
        // Given a producer and a consumer that have already exchanged records
        List<ScoredResponse> before = ScoredResponseSamples.generate(1_000, 1);
        List<ScoredResponse> during = ScoredResponseSamples.generate(1_000, 2);
        List<ScoredResponse> fromNewProducer = ScoredResponseSamples.generate(1_000, 3);
        AvroSerializer<ScoredResponse> producer = producer();
        AvroDeserializer<ScoredResponse> consumer = new AvroDeserializer<>(
                SchemaRegistryClients.create(RealRegistry.clientConfig(url)), AvroSerdeConfig.defaults(),
                ScoredResponse.class);
        List<byte[]> frames = new ArrayList<>();
        before.forEach(r -> frames.add(producer.serialize(TOPIC, r)));
        assertThat(consumer.deserialize(TOPIC, frames.get(0))).isEqualTo(before.get(0));

        // When the registry stops, a warm producer keeps writing and a fresh producer starts
        script.stop();
        during.forEach(r -> frames.add(producer.serialize(TOPIC, r)));
        AvroSerializer<ScoredResponse> restartedProducer = producer();
        CompletableFuture<List<byte[]>> late = CompletableFuture.supplyAsync(
                () -> fromNewProducer.stream().map(r -> restartedProducer.serialize(TOPIC, r)).toList());
        assertThat(late).isNotDone();
        script.start();
        await().atMost(Duration.ofMinutes(2)).until(late::isDone);
        frames.addAll(late.join());

        // Then every record decodes, and the schema is registered again
        List<ScoredResponse> expected = new ArrayList<>(before);
        expected.addAll(during);
        expected.addAll(fromNewProducer);
        assertThat(frames.stream().map(f -> consumer.deserialize(TOPIC, f)).toList()).isEqualTo(expected);
        assertThat(SchemaRegistryClients.create(RealRegistry.clientConfig(url)).latest(TOPIC + "-value").schema())
                .isEqualTo(ScoredResponse.getClassSchema());
    }
}
