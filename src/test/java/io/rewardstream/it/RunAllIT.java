package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Topics;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.registry.RealRegistry;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.testkit.KraftClusterExtension;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production command with both roles in one process, {@code run --role all --create-topics}, run from the jar
 * against an in-process KRaft broker (with no topics yet) and the integration tests' real schema registry: it
 * creates its topics, is not ready until the trainer has promoted a model, then scores rollouts with that model's
 * version, and stops on SIGTERM.
 */
class RunAllIT {

    private static final Pattern SCORER_LINE = Pattern.compile("(?m)^scorer status page: (http://\\S+/)$");
    private static final Topics TOPICS = Topics.defaults();
    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();

    @TempDir
    Path temp;

    private Process start(Path log, String registryUrl) throws IOException {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar"));
        assertThat(jar).as("the shaded jar is built in the package phase").exists();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "run", "--role", "all", "--bootstrap-servers", cluster.bootstrapServers(),
                "--schema-registry-url", registryUrl, "--create-topics", "--http-port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        String run = UUID.randomUUID().toString();
        Map<String, String> env = builder.environment();
        env.put("REWARDSTREAM_STATE_DIR", temp.resolve("state").toString());
        env.put("REWARDSTREAM_APPLICATION_ID", "trainer-" + run);
        env.put("REWARDSTREAM_SCORING_APPLICATION_ID", "scorer-" + run);
        env.put("REWARDSTREAM_SCORING_DEVICE", "cpu");
        env.put("REWARDSTREAM_TRAINING_INTERVAL", "2s");
        env.put("REWARDSTREAM_TRAINING_MIN_PAIRS", "200");
        env.put("REWARDSTREAM_TOPICS_PARTITIONS", "2");
        env.put("KAFKA_REPLICATION_FACTOR", "1");
        return builder.start();
    }

    @Test
    void shouldCreateTopicsPromoteAModelScoreRolloutsWithItsVersionAndStopOnSigterm() throws Exception {
        String registryUrl = RealRegistry.url();
        Path log = temp.resolve("run-all.log");
        Process run = start(log, registryUrl);
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> scorerUrl(log) != null || !run.isAlive());
            String url = scorerUrl(log);
            assertThat(url).as("the scorer's status line; output so far:%n%s", read(log)).isNotNull();
            HttpResponse<String> notReady = get(url + "readyz");
            assertThat(notReady.statusCode()).as("ready before any model exists: %s", notReady.body()).isEqualTo(503);
            assertThat(notReady.body()).contains("reason");
            try (var admin = cluster.admin()) {
                // The status line comes first, before start-up checks the topics; --create-topics makes them all.
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                                .as("--create-topics made every topic; output so far:%n%s", read(log))
                                .contains(TOPICS.preferences(), TOPICS.responses(), TOPICS.rewards(), TOPICS.models(),
                                        TOPICS.metrics(), TOPICS.deadLetters(), TOPICS.artifacts()));
            }

            // Preferences with a known rule: the trainer promotes a first model.
            TrainerSerdes trainerSerdes = TrainerSerdes.of(SchemaRegistryClients.create(
                    Map.of(RegistryClientConfig.URL, registryUrl)), AvroSerdeConfig.defaults());
            SyntheticPreferences generator = new SyntheticPreferences(7, 0.0);
            try (KafkaProducer<String, PreferenceEvent> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new StringSerializer(), trainerSerdes.preferences().serializer())) {
                for (int i = 0; i < 300; i++) {
                    PreferencePair pair = generator.next();
                    String id = "run-all-" + i;
                    producer.send(new ProducerRecord<>(TOPICS.preferences(), id, PreferenceEvent.newBuilder()
                            .setEventId(id).setPrompt(pair.prompt()).setResponses(List.of(pair.chosen(), pair.rejected()))
                            .setRanking(List.of(0, 1)).setEventTime(Instant.now()).build()));
                }
            }
            List<ModelRelease> releases = new ArrayList<>();
            try (KafkaConsumer<String, ModelRelease> consumer = cluster.committedConsumer(
                    trainerSerdes.releases().deserializer(), TOPICS.models())) {
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> releases.add(r.value()));
                    return !releases.isEmpty() || !run.isAlive();
                });
            }
            assertThat(releases).as("a release; output:%n%s", read(log)).isNotEmpty();
            ModelRelease v1 = releases.get(0);
            assertThat(v1.getStatus()).isEqualTo(ReleaseStatus.PROMOTED);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(url + "readyz").statusCode() == 200 || !run.isAlive());
            assertThat(get(url + "v1/models").body()).contains("\"version\":" + v1.getVersion());

            // Rollouts: each comes back once, stamped with the promoted version.
            ScoringSerdes scoringSerdes = ScoringSerdes.forRegistry(registryUrl);
            int rollouts = 40;
            try (KafkaProducer<String, RolloutResponse> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                    new StringSerializer(), scoringSerdes.responses().serializer())) {
                for (int i = 0; i < rollouts; i++) {
                    String id = "rollout-" + i;
                    producer.send(new ProducerRecord<>(TOPICS.responses(), id, RolloutResponse.newBuilder()
                            .setResponseId(id).setPrompt("Question " + i + "?").setResponse("Answer " + i)
                            .setCreatedAt(Instant.now()).build()));
                }
            }
            Map<String, ScoredResponse> rewards = new HashMap<>();
            try (KafkaConsumer<String, ScoredResponse> consumer = cluster.committedConsumer(
                    scoringSerdes.rewards().deserializer(), TOPICS.rewards())) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> rewards.merge(r.key(), r.value(), (a, b) -> {
                        throw new AssertionError("two rewards for " + r.key());
                    }));
                    return rewards.size() >= rollouts || !run.isAlive();
                });
            }
            assertThat(rewards).as("output:%n%s", read(log)).hasSize(rollouts);
            assertThat(rewards.values()).allSatisfy(r -> {
                assertThat(r.getModelVersion()).isEqualTo(v1.getVersion());
                assertThat(r.getReward()).isFinite();
            });

            // One status page and one /metrics for the whole system: both roles' cards and meters.
            String status = get(url + "api/status").body();
            assertThat(status).contains("\"name\":\"trainer\"").contains("\"name\":\"scorer\"")
                    .contains("\"Live model (trainer)\"").contains("\"model\":\"" + v1.getModelName() + " v" + v1.getVersion());
            String metrics = get(url + "metrics").body();
            assertThat(metrics).contains("rewardstream_trainer_model_info{name=\"" + v1.getModelName() + "\",version=\""
                            + v1.getVersion() + "\"} 1")
                    .contains("rewardstream_scorer_model_info{").contains("rewardstream_trainer_promotions_total 1.0")
                    .containsPattern("rewardstream_records_in_total\\{role=\"trainer\",topic=\"rlhf.preferences\"} [1-9]")
                    .containsPattern("rewardstream_records_out_total\\{role=\"scorer\",topic=\"rlhf.rewards\"} [1-9]")
                    .contains("kafka_stream_").contains("jvm_memory_used_bytes");
            assertThat(get(url + "api/series").body()).contains("\"id\":\"accuracy\"").contains("\"id\":\"latency\"");

            // A monitoring consumer reads the same story back from the topics, one JSON object per line.
            Path monitorLog = temp.resolve("monitor.jsonl");
            Process monitor = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", System.getProperty("rewardstream.jar", "target/rewardstream.jar"), "monitor",
                    "--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url", registryUrl, "--json",
                    "--from-beginning", "--duration", "20s").redirectOutput(monitorLog.toFile())
                    .redirectError(temp.resolve("monitor.err").toFile()).start();
            assertThat(monitor.waitFor(2, TimeUnit.MINUTES)).as("monitor stops after --duration").isTrue();
            assertThat(monitor.exitValue()).as(Files.readString(temp.resolve("monitor.err"))).isZero();
            List<String> lines = Files.readAllLines(monitorLog, StandardCharsets.UTF_8);
            assertThat(lines).as("monitor --json output").isNotEmpty().allSatisfy(line -> assertThat(
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("type").asText()).isNotEmpty());
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"type\":\"ModelRelease\"")
                    .contains("\"version\":" + v1.getVersion()).contains("\"status\":\"PROMOTED\""));

            run.destroy();

            assertThat(run.waitFor(2, TimeUnit.MINUTES)).as("exits on SIGTERM; output:%n%s", read(log)).isTrue();
        } finally {
            run.destroyForcibly();
        }
    }


    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static String scorerUrl(Path log) throws IOException {
        Matcher m = SCORER_LINE.matcher(read(log));
        return m.find() ? m.group(1) : null;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
