package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Topics;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.testkit.DockerEngine;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/compose.yaml} brought up for real: Kafka, the registry, the trainer and a scorer in containers, each
 * healthy, then preferences in and rollouts in, rewards out, read from the host over 127.0.0.1. Uses the images
 * named by KAFKA_IMAGE, REGISTRY_IMAGE and REWARDSTREAM_BASE_IMAGE, else the local ones of scripts/images.sh;
 * skipped, saying why, where no Docker engine answers or no such images exist (no image registry is reached).
 */
class ComposeIT {

    private static final String PROJECT = "rewardstream-it";
    private static final String BOOTSTRAP = "127.0.0.1:19092";
    private static final String REGISTRY = "http://127.0.0.1:18090/apis/ccompat/v7";
    private static final String SCORER = "http://127.0.0.1:18091/";
    private static final String TRAINER = "http://127.0.0.1:18092/";
    private static final List<String> SERVICES = List.of("kafka", "registry", "trainer", "scorer");

    private static String image(String variable, String local) {
        String given = System.getenv(variable);
        return given != null && !given.isBlank() ? given : local;
    }

    @Test
    void shouldRunTheWholeSystemInContainersAndScoreRolloutsWithATrainedModel() throws Exception {
        assumeTrue(DockerEngine.running(), "no Docker engine answers `docker info`; skipping the compose test");
        var compose = DockerEngine.compose();
        assumeTrue(compose.isPresent(), "neither `docker compose` nor `docker-compose` is installed");
        String kafkaVersion = System.getProperty("kafka.version", "4.4.0");
        String apicurio = System.getProperty("apicurio.version", "2.6.13.Final");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_IMAGE", image("KAFKA_IMAGE", "rewardstream/kafka:" + kafkaVersion));
        env.put("REGISTRY_IMAGE", image("REGISTRY_IMAGE", "rewardstream/apicurio-registry-mem:" + apicurio));
        env.put("REWARDSTREAM_BASE_IMAGE", image("REWARDSTREAM_BASE_IMAGE", "rewardstream/base:bookworm"));
        for (String image : env.values()) {
            assumeTrue(DockerEngine.hasImage(image), "image " + image + " is not on this engine (build the local"
                    + " images with scripts/images.sh all, or name others in KAFKA_IMAGE, REGISTRY_IMAGE and"
                    + " REWARDSTREAM_BASE_IMAGE); skipping the compose test");
        }
        env.put("REWARDSTREAM_TRAINING_MIN_PAIRS", "200");
        env.put("REWARDSTREAM_TRAINING_INTERVAL", "10s");
        List<String> base = new ArrayList<>(compose.get());
        base.addAll(List.of("-f", Path.of("docker", "compose.yaml").toAbsolutePath().toString(), "-p", PROJECT));

        DockerEngine.Result parsed = DockerEngine.run(with(base, "config", "-q"), env, null, 60);
        assertThat(parsed.exit()).as("compose config: %s", parsed.output()).isZero();
        DockerEngine.run(with(base, "down", "-v"), env, null, 300);
        long start = System.nanoTime();
        try {
            DockerEngine.Result up = DockerEngine.run(with(base, "up", "-d", "--build"), env, null, 900);
            assertThat(up.exit()).as("compose up: %s", up.output()).isZero();
            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(5))
                    .until(() -> SERVICES.stream().allMatch(s -> health(base, env, s).equals("healthy")));
            report("kafka, registry, trainer and scorer healthy", start);

            Topics topics = Topics.defaults();
            String scope = REGISTRY;
            var registry = SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, scope));
            TrainerSerdes trainerSerdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
            ScoringSerdes scoringSerdes = ScoringSerdes.of(registry);
            SyntheticPreferences synthetic = new SyntheticPreferences(11, 0.05);
            try (KafkaProducer<String, PreferenceEvent> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), trainerSerdes.preferences().serializer())) {
                int n = 0;
                for (PreferencePair pair : synthetic.pairs(400)) {
                    String id = "compose-" + n++;
                    producer.send(new ProducerRecord<>(topics.preferences(), id, PreferenceEvent.newBuilder()
                            .setEventId(id).setPrompt(pair.prompt()).setResponses(List.of(pair.chosen(),
                                    pair.rejected())).setRanking(List.of(0, 1)).setSource("compose-it")
                            .setEventTime(Instant.now()).build()));
                }
            }
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> status(SCORER + "readyz") == 200);
            report("the scorer is ready: " + get(SCORER + "readyz"), start);

            int rollouts = 30;
            try (KafkaProducer<String, RolloutResponse> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), scoringSerdes.responses().serializer())) {
                for (int i = 0; i < rollouts; i++) {
                    SyntheticPreferences.Rollout r = synthetic.rollout();
                    producer.send(new ProducerRecord<>(topics.responses(), "r-" + i, RolloutResponse.newBuilder()
                            .setResponseId("r-" + i).setPrompt(r.prompt()).setResponse(r.response())
                            .setCreatedAt(Instant.now()).build()));
                }
            }
            Map<String, ScoredResponse> rewards = new HashMap<>();
            try (KafkaConsumer<String, ScoredResponse> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP, ConsumerConfig.GROUP_ID_CONFIG,
                    "compose-it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                    scoringSerdes.rewards().deserializer())) {
                consumer.subscribe(List.of(topics.rewards()));
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> rewards.put(r.key(), r.value()));
                    return rewards.size() >= rollouts;
                });
            }
            report(rewards.size() + " rewards read back, made by versions " + rewards.values().stream()
                    .map(r -> "v" + r.getModelVersion()).distinct().toList(), start);
            assertThat(rewards).hasSize(rollouts);
            assertThat(rewards.values()).allSatisfy(r -> {
                assertThat(r.getModelVersion()).isPositive();
                assertThat(r.getReward()).isFinite();
            });
            assertThat(get(TRAINER + "api/status")).contains("\"name\":\"trainer\"").contains("models promoted");
            assertThat(get(SCORER + "metrics")).contains("rewardstream_scorer_model_info{");
        } catch (AssertionError | RuntimeException e) {
            System.err.println(DockerEngine.run(with(base, "logs", "--tail", "60"), env, null, 120).output());
            throw e;
        } finally {
            DockerEngine.Result down = DockerEngine.run(with(base, "down", "-v"), env, null, 300);
            assertThat(down.exit()).as("compose down: %s", down.output()).isZero();
        }
    }

    /** A line of what happened when, kept in the test's report. */
    private static void report(String what, long start) {
        System.out.printf("ComposeIT: %s after %d s%n", what, (System.nanoTime() - start) / 1_000_000_000L);
    }

    private static List<String> with(List<String> base, String... args) {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        return command;
    }

    private static String health(List<String> base, Map<String, String> env, String service) {
        try {
            String id = DockerEngine.run(with(base, "ps", "-q", service), env, null, 60).output().strip();
            if (id.isEmpty()) {
                return "absent";
            }
            return DockerEngine.run(List.of("docker", "inspect", "--format", "{{.State.Health.Status}}", id),
                    Map.of(), null, 60).output().strip();
        } catch (java.io.IOException e) {
            return "unknown: " + e.getMessage();
        }
    }

    private static int status(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
