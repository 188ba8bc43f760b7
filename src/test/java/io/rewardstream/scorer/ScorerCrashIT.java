package io.rewardstream.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Topics;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.RealRegistry;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.testkit.KraftClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scorer process killed with SIGKILL in the middle of a stream (no close, no commit, batches half scored), and
 * a new process started in its place: every response still gets exactly one reward, as a read_committed consumer
 * counts them. The scorers are the jar run as users run it ({@code run --role scorer --model DIR}), so they share
 * the real schema registry of the integration tests rather than an in-memory one.
 */
class ScorerCrashIT {

    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();
    private static final Topics TOPICS = Topics.defaults();

    @TempDir
    Path temp;

    @BeforeAll
    static void createTopics() throws Exception {
        cluster.createTopics(Map.of(TOPICS.responses(), 3, TOPICS.rewards(), 3, TOPICS.deadLetters(), 1,
                TOPICS.models(), 1, TOPICS.metrics(), 1));
    }

    private Process scorer(String applicationId, String registryUrl, Path model, String stateName) throws Exception {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "run", "--role", "scorer", "--bootstrap-servers", cluster.bootstrapServers(),
                "--schema-registry-url", registryUrl, "--model", model.toString(), "--http-port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve(stateName + ".log").toFile());
        builder.environment().put("REWARDSTREAM_STATE_DIR", temp.resolve(stateName).toString());
        builder.environment().put("REWARDSTREAM_SCORING_APPLICATION_ID", applicationId);
        builder.environment().put("REWARDSTREAM_SCORING_DEVICE", "cpu");
        builder.environment().put("KAFKA_REPLICATION_FACTOR", "1");
        // A killed member never leaves its group: a short session lets the next one take its partitions soon.
        builder.environment().put("KAFKA_SESSION_TIMEOUT_MS", "10000");
        return builder.start();
    }

    @Test
    void shouldGiveEveryResponseExactlyOneRewardWhenAScorerIsKilledMidStream() throws Exception {
        // Given a scorer process and a stream of 5,000 responses
        int total = 5_000;
        String registryUrl = RealRegistry.url();
        ScoringSerdes serdes = ScoringSerdes.forRegistry(registryUrl);
        Path model = ModelFixtures.trained(FeatureLayout.SEPARATE);
        String app = "scorer-crash-" + UUID.randomUUID();
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, ScoredResponse> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "crash-reader-" + UUID.randomUUID(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), serdes.rewards().deserializer())) {
                consumer.subscribe(Set.of(TOPICS.rewards()));
                while (reading.get()) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.key(), 1, Integer::sum));
                }
            }
        }, "crash-reward-reader");
        reader.start();
        Process first = scorer(app, registryUrl, model, "first");
        AtomicInteger sent = new AtomicInteger();
        Thread producer = new Thread(() -> {
            try (KafkaProducer<String, RolloutResponse> p = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                    "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serdes.responses().serializer())) {
                for (int i = 0; i < total; i++) {
                    String id = "crash-" + i;
                    p.send(new ProducerRecord<>(TOPICS.responses(), id, RolloutResponse.newBuilder().setResponseId(id)
                            .setPrompt("Question " + (i % 40) + "?").setResponse("Answer number " + i)
                            .setCreatedAt(Instant.now()).build()));
                    if (i % 250 == 249) {
                        p.flush();
                    }
                }
                p.flush();
                sent.set(total);
            }
        }, "crash-response-producer");
        producer.start();
        Process second = null;
        try {
            // When the first scorer is killed after it has scored part of the stream
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> counts.size() >= total / 5 || !first.isAlive());
            assertThat(first.isAlive()).as("the first scorer runs until it is killed; its log: %s",
                    temp.resolve("first.log")).isTrue();
            first.destroyForcibly().waitFor();
            int beforeKill = counts.size();
            second = scorer(app, registryUrl, model, "second");

            // Then every response has exactly one reward once the second has caught up
            Process running = second;
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
                    .until(() -> (counts.size() >= total && sent.get() == total) || !running.isAlive());
            assertThat(second.isAlive()).as("the second scorer keeps running; its log: %s",
                    temp.resolve("second.log")).isTrue();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> counts.size() == total);
            assertThat(beforeKill).isLessThan(total);
            assertThat(counts).hasSize(total);
            assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
        } finally {
            reading.set(false);
            reader.join();
            producer.join();
            first.destroyForcibly();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
        }
    }
}
