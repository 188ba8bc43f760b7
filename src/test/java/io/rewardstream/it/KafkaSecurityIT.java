package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.config.Topics;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.RealRegistry;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.testkit.JarProcess;
import io.rewardstream.testkit.KraftCluster;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security settings passed through to every client of both roles: an in-process broker whose listener takes
 * SASL PLAIN only, and {@code run --role all} from the jar given {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM} and {@code KAFKA_SASL_JAAS_CONFIG}: its start-up checks, both Streams clients and the
 * release follower connect, the scorer scores and the trainer publishes a model. Refused credentials stop start-up
 * at once, saying so, instead of being retried as an unreachable broker.
 */
class KafkaSecurityIT {

    private static final Topics TOPICS = Topics.defaults();
    private static KraftCluster cluster;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() throws Exception {
        cluster = KraftCluster.startWithSasl();
        try (var admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPICS.preferences(), 2, (short) 1),
                    new NewTopic(TOPICS.responses(), 2, (short) 1), new NewTopic(TOPICS.rewards(), 2, (short) 1),
                    new NewTopic(TOPICS.models(), 1, (short) 1), new NewTopic(TOPICS.metrics(), 1, (short) 1),
                    new NewTopic(TOPICS.deadLetters(), 1, (short) 1), new NewTopic(TOPICS.artifacts(), 1, (short) 1)))
                    .all().get();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private Map<String, String> env(String password) {
        Map<String, String> env = JarProcess.roleEnv(cluster.bootstrapServers(), RealRegistry.url(),
                temp.resolve("state"));
        String run = UUID.randomUUID().toString();
        env.put("REWARDSTREAM_APPLICATION_ID", "sasl-trainer-" + run);
        env.put("REWARDSTREAM_SCORING_APPLICATION_ID", "sasl-scorer-" + run);
        env.put("REWARDSTREAM_TRAINING_MIN_PAIRS", "200");
        env.put("REWARDSTREAM_TRAINING_INTERVAL", "2s");
        KraftCluster.saslClient(password).forEach((key, value) ->
                env.put("KAFKA_" + key.toUpperCase().replace('.', '_'), value.toString()));
        return env;
    }

    private static Map<String, Object> client(Map<String, Object> own) {
        Map<String, Object> props = new HashMap<>(own);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.putAll(KraftCluster.saslClient("plain-user1-secret"));
        return props;
    }

    @Test
    void shouldRunBothRolesOverSaslWithTheSettingsPassedThrough() throws Exception {
        // Given both roles from the jar, over SASL
        String registryUrl = RealRegistry.url();
        ScoringSerdes scoring = ScoringSerdes.forRegistry(registryUrl);
        TrainerSerdes training = TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
                registryUrl)), AvroSerdeConfig.defaults());
        try (JarProcess all = JarProcess.start(temp.resolve("all"), "all", env("plain-user1-secret"), List.of("run",
                "--role", "all", "--model", ModelFixtures.trained(FeatureLayout.SEPARATE).toString(), "--http-port",
                "0"));
             KafkaProducer<String, RolloutResponse> responses = new KafkaProducer<>(client(Map.of(
                     ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), scoring.responses().serializer());
             KafkaProducer<String, PreferenceEvent> events = new KafkaProducer<>(client(Map.of(
                     ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), training.preferences().serializer());
             KafkaConsumer<String, byte[]> rewards = new KafkaConsumer<>(client(Map.of(
                     ConsumerConfig.GROUP_ID_CONFIG, "sasl-rewards-" + UUID.randomUUID(),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(),
                     new ByteArrayDeserializer());
             KafkaConsumer<String, ModelRelease> releases = new KafkaConsumer<>(client(Map.of(
                     ConsumerConfig.GROUP_ID_CONFIG, "sasl-models-" + UUID.randomUUID(),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(),
                     training.releases().deserializer())) {
            // When responses and preference events arrive
            SyntheticPreferences generator = new SyntheticPreferences(3, 0.0);
            for (int i = 0; i < 300; i++) {
                PreferencePair p = generator.next();
                String id = "sasl-event-" + i;
                events.send(new ProducerRecord<>(TOPICS.preferences(), id, PreferenceEvent.newBuilder().setEventId(id)
                        .setPrompt(p.prompt()).setResponses(List.of(p.chosen(), p.rejected()))
                        .setRanking(List.of(0, 1)).setEventTime(Instant.now()).build()));
            }
            for (int i = 0; i < 50; i++) {
                String id = "sasl-" + i;
                responses.send(new ProducerRecord<>(TOPICS.responses(), id, RolloutResponse.newBuilder()
                        .setResponseId(id).setPrompt("Q" + i + "?").setResponse("A" + i + ".")
                        .setCreatedAt(Instant.now()).build()));
            }
            events.flush();
            responses.flush();

            // Then the scorer scores every response and the trainer publishes a model, both over SASL
            rewards.subscribe(List.of(TOPICS.rewards()));
            releases.subscribe(List.of(TOPICS.models()));
            Set<String> scored = new HashSet<>();
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                rewards.poll(Duration.ofMillis(200)).forEach(r -> scored.add(r.key()));
                return scored.size() >= 50 || !all.isAlive();
            });
            assertThat(scored).as(all.output()).hasSize(50);
            List<Long> versions = new java.util.ArrayList<>();
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                releases.poll(Duration.ofMillis(200)).forEach(r -> versions.add(r.value().getVersion()));
                return !versions.isEmpty() || !all.isAlive();
            });
            assertThat(versions).as(all.output()).isNotEmpty();
            assertThat(all.terminate(120)).as(all.output()).isZero();
        }
    }

    @Test
    void shouldStopStartUpAtOnceNamingRefusedCredentials() throws Exception {
        try (JarProcess scorer = JarProcess.start(temp.resolve("wrong"), "wrong", env("not-the-password"),
                List.of("run", "--role", "scorer", "--model", ModelFixtures.trained(FeatureLayout.SEPARATE).toString(),
                        "--http-port", "0"))) {
            int exit = scorer.waitFor(180);

            assertThat(exit).as(scorer.output()).isNotZero().isNotEqualTo(-1);
            assertThat(scorer.output()).contains("Authentication failed").doesNotContain("retrying in");
        }
    }
}
