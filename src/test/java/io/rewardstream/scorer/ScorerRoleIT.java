package io.rewardstream.scorer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.common.BadInputException;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.release.Releases;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.signing.ReleaseSigner;
import io.rewardstream.signing.ReleaseVerifier;
import io.rewardstream.signing.SigningKeys;
import io.rewardstream.testkit.KraftClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ScorerRoleIT {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerRoleIT.class);

    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();
    private static final AtomicInteger RUN = new AtomicInteger();

    private final String scope = "scorer-it-" + UUID.randomUUID();
    private final String registryUrl = "mock://" + scope;
    private final ScoringSerdes serdes = ScoringSerdes.forRegistry(registryUrl);
    private final HttpClient http = HttpClient.newHttpClient();
    /** Topics of this test alone: each test has its own registry scope, so schema ids differ between tests. */
    private final Topics topics = topics("t" + RUN.incrementAndGet() + ".");

    private static Topics topics(String prefix) {
        Topics d = Topics.defaults();
        return new Topics(prefix + d.preferences(), prefix + d.responses(), prefix + d.rewards(),
                prefix + d.models(), prefix + d.metrics(), prefix + d.deadLetters(), prefix + d.artifacts());
    }

    @TempDir
    Path temp;

    @BeforeEach
    void createTopics() throws Exception {
        cluster.createTopics(Map.of(topics.responses(), 3, topics.rewards(), 3, topics.deadLetters(), 1,
                topics.models(), 1, topics.metrics(), 1, topics.artifacts(), 1));
    }

    @AfterEach
    void dropScope() {
        MockRegistryScopes.drop(scope);
    }

    private Connection connection(String stateName) {
        return new Connection(cluster.bootstrapServers(), registryUrl, topics, temp.resolve(stateName),
                Map.of("replication.factor", 1), Map.of());
    }

    private static ScorerSettings settings(String applicationId) {
        return ScorerSettings.defaults().withApplicationId(applicationId).withLinger(Duration.ofMillis(50))
                .withHttp("127.0.0.1", 0, 1 << 20);
    }

    private KafkaProducer<String, RolloutResponse> responseProducer() {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new StringSerializer(), serdes.responses().serializer());
    }

    private KafkaConsumer<String, ScoredResponse> rewardConsumer() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), serdes.rewards().deserializer());
    }

    private static RolloutResponse response(String id, int i) {
        return RolloutResponse.newBuilder().setResponseId(id).setPrompt("Question number " + (i % 20) + "?")
                .setResponse("Answer " + i + (i % 3 == 0 ? " with a few more words to vary the length" : ""))
                .setCreatedAt(Instant.now()).build();
    }

    private int readyStatus(ScorerRole role) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(role.statusUrl()).resolve("/readyz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void shouldRefuseToStartNamingMissingTopicsAndCreateThemWhenAsked() throws Exception {
        Topics absent = topics("absent" + RUN.incrementAndGet() + ".");
        Connection connection = new Connection(cluster.bootstrapServers(), registryUrl, absent,
                temp.resolve("state-absent"), Map.of("replication.factor", 1), Map.of());
        ModelSource source = new ModelSource.Releases("reward-model");
        ScorerSettings settings = settings("scorer-absent-" + UUID.randomUUID());

        BadInputException e = Assertions.assertThrows(BadInputException.class,
                () -> ScorerRole.start(settings, connection, source).close());
        assertThat(e.getMessage()).contains(absent.responses()).contains(absent.rewards()).contains(absent.models());

        ScorerRole.ensureTopics(settings, connection, source, true, 2);
        try (var admin = cluster.admin()) {
            var described = admin.describeTopics(List.of(absent.responses(), absent.models())).allTopicNames().get();
            assertThat(described.get(absent.responses()).partitions()).hasSize(2);
            assertThat(described.get(absent.models()).partitions()).hasSize(1);
        }
    }

    @Test
    void shouldGiveEveryResponseExactlyOneRewardAcrossAStopAndARestartOnAnotherStateDirectory() throws Exception {
        // Given
        int total = 5_000;
        String app = "scorer-restart-" + UUID.randomUUID();
        ModelSource model = new ModelSource.Directory(ModelFixtures.trained(FeatureLayout.SEPARATE));
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, ScoredResponse> consumer = rewardConsumer()) {
                consumer.subscribe(Set.of(topics.rewards()));
                while (reading.get()) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.key(), 1, Integer::sum));
                }
            }
        }, "it-reward-reader");
        reader.start();
        ScorerRole first = ScorerRole.start(settings(app), connection("state-a"), model);

        // When the responses arrive while the first instance scores, it stops, and a second one takes over
        AtomicInteger sent = new AtomicInteger();
        Thread producer = new Thread(() -> {
            try (KafkaProducer<String, RolloutResponse> p = responseProducer()) {
                for (int i = 0; i < total; i++) {
                    String id = "resp-" + i;
                    p.send(new ProducerRecord<>(topics.responses(), id, response(id, i)));
                    if (i % 250 == 249) {
                        p.flush();
                        sent.set(i + 1);
                    }
                }
                p.flush();
                sent.set(total);
            }
        }, "it-response-producer");
        producer.start();
        await().atMost(Duration.ofMinutes(3)).until(() -> counts.size() >= total / 4);
        first.close();
        int beforeRestart = counts.size();
        ScorerRole second = ScorerRole.start(settings(app), connection("state-b"), model);
        try {
            // Then
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> counts.size() >= total && sent.get() == total);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> counts.size() == total);
            assertThat(beforeRestart).isLessThan(total);
            assertThat(counts).hasSize(total);
            assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
            assertThat(readyStatus(second)).isEqualTo(200);
        } finally {
            reading.set(false);
            reader.join();
            producer.join();
            second.close();
        }
    }

    @Test
    void shouldScoreResponsesThatWereWaitingInABatchWhenTheInstanceStopped() throws Exception {
        // Given an instance whose batches never fill and whose linger outlasts the test
        String app = "scorer-waiting-" + UUID.randomUUID();
        ModelSource model = new ModelSource.Directory(ModelFixtures.trained(FeatureLayout.SEPARATE));
        ScorerSettings patient = settings(app).withLinger(Duration.ofHours(1));
        ScorerRole first = ScorerRole.start(patient, connection("state-a"), model);
        try (KafkaProducer<String, RolloutResponse> p = responseProducer();
             KafkaConsumer<String, ScoredResponse> rewards = rewardConsumer()) {
            rewards.subscribe(Set.of(topics.rewards()));
            for (int i = 0; i < 10; i++) {
                p.send(new ProducerRecord<>(topics.responses(), "wait-" + i, response("wait-" + i, i))).get();
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> first.streamsState() == KafkaStreams.State.RUNNING
                    && first.facts().get("items_scored_stream").equals(0L) && committedWaiting(first));
            assertThat(rewards.poll(Duration.ofSeconds(2)).count()).isZero();

            // When it stops, and another instance (new state directory, short linger) takes over
            first.close();
            ScorerRole second = ScorerRole.start(settings(app), connection("state-b"), model);
            try {
                // Then each waiting response is scored exactly once
                Map<String, Integer> counts = new HashMap<>();
                await().atMost(Duration.ofMinutes(2)).until(() -> {
                    rewards.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.key(), 1, Integer::sum));
                    return counts.size() >= 10;
                });
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
                    rewards.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.key(), 1, Integer::sum));
                    return counts.size() == 10;
                });
                assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
            } finally {
                second.close();
            }
        }
    }

    /** True once the first instance has read the ten responses into its batch store and committed them. */
    private boolean committedWaiting(ScorerRole role) {
        try (var admin = cluster.admin()) {
            var offsets = admin.listConsumerGroupOffsets(role.applicationId()).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum() >= 10;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void shouldConsumeNothingBeforeTheFirstReleaseThenServeItAndRefuseABadOne() throws Exception {
        // Given
        String app = "scorer-releases-" + UUID.randomUUID();
        Path dir = ModelFixtures.trained(FeatureLayout.SEPARATE);
        String modelName = ModelDirectory.readMetadata(dir).name();
        ScorerRole role = ScorerRole.start(settings(app), connection("state"), new ModelSource.Releases(modelName));
        Map<String, Object> producerProps = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"));
        var releaseSerde = AvroSerde.specific(ModelRelease.class,
                SchemaRegistryClients.create(Map.of("schema.registry.url", registryUrl)),
                AvroSerdeConfig.defaults());
        try (KafkaProducer<String, ModelRelease> releases = new KafkaProducer<>(producerProps, new StringSerializer(),
                releaseSerde.serializer()); KafkaProducer<String, RolloutResponse> responses = responseProducer();
             KafkaConsumer<String, ScoredResponse> rewards = rewardConsumer()) {
            rewards.subscribe(Set.of(topics.rewards()));
            responses.send(new ProducerRecord<>(topics.responses(), "early", response("early", 1))).get();

            // Then nothing is consumed and readiness says why
            assertThat(readyStatus(role)).isEqualTo(503);
            assertThat(role.streamsState()).isEqualTo(KafkaStreams.State.CREATED);

            // When
            releases.send(new ProducerRecord<>(topics.models(), modelName, Releases.of(dir, 5).build())).get();

            // Then
            await().atMost(Duration.ofMinutes(1)).until(() -> readyStatus(role) == 200);
            Map<String, Long> versions = new ConcurrentHashMap<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                rewards.poll(Duration.ofMillis(200)).forEach(r -> versions.put(r.key(), r.value().getModelVersion()));
                return versions.containsKey("early");
            });
            assertThat(versions).containsEntry("early", 5L);

            // When a newer release with a corrupted head arrives
            releases.send(new ProducerRecord<>(topics.models(), modelName,
                    Releases.of(dir, 6).setHeadSha256("0".repeat(64)).build())).get();

            // Then it is refused with an alert and version 5 keeps serving
            await().atMost(Duration.ofMinutes(1)).until(() -> role.holder().lastRefusal().isPresent());
            assertThat(role.holder().current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(5L));
            assertThat(refusalAlerts()).anySatisfy(a -> assertThat(a).contains("\"version\": 6")
                    .contains("SCORER_LOAD"));
            responses.send(new ProducerRecord<>(topics.responses(), "later", response("later", 2))).get();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                rewards.poll(Duration.ofMillis(200)).forEach(r -> versions.put(r.key(), r.value().getModelVersion()));
                return versions.containsKey("later");
            });
            assertThat(versions).containsEntry("later", 5L);
        } finally {
            role.close();
        }
    }

    @Test
    void shouldServeOnlyReleasesSignedWithItsKeyAndAlertOnUnsignedOrForgedOnes() throws Exception {
        // Given a scorer that trusts one release key
        KeyPair trusted = SigningKeys.generate();
        KeyPair forger = SigningKeys.generate();
        Path dir = ModelFixtures.trained(FeatureLayout.SEPARATE);
        String modelName = "signed-" + UUID.randomUUID();
        ScorerRole role = ScorerRole.start(settings("scorer-signed-" + UUID.randomUUID()), connection("state"),
                new ModelSource.Releases(modelName, new ReleaseVerifier(trusted.getPublic(), "the trusted key")));
        var releaseSerde = AvroSerde.specific(ModelRelease.class,
                SchemaRegistryClients.create(Map.of("schema.registry.url", registryUrl)), AvroSerdeConfig.defaults());
        try (KafkaProducer<String, ModelRelease> releases = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), releaseSerde.serializer());
             KafkaProducer<String, RolloutResponse> responses = responseProducer();
             KafkaConsumer<String, ScoredResponse> rewards = rewardConsumer()) {
            rewards.subscribe(Set.of(topics.rewards()));
            releases.send(new ProducerRecord<>(topics.models(), modelName, new ReleaseSigner(trusted.getPrivate())
                    .sign(Releases.of(dir, 1).setModelName(modelName).build()))).get();
            await().atMost(Duration.ofMinutes(1)).until(() -> readyStatus(role) == 200);

            // When an unsigned release and one signed with another key follow
            releases.send(new ProducerRecord<>(topics.models(), modelName,
                    Releases.of(dir, 2).setModelName(modelName).build())).get();
            releases.send(new ProducerRecord<>(topics.models(), modelName, new ReleaseSigner(forger.getPrivate())
                    .sign(Releases.of(dir, 3).setModelName(modelName).build()))).get();

            // Then both are refused with an alert on the metrics topic, and version 1 keeps scoring
            await().atMost(Duration.ofMinutes(1)).until(() -> role.holder().lastRefusal()
                    .map(r -> r.contains("version 3")).orElse(false));
            List<String> alerts = refusalAlerts().stream().filter(a -> a.contains(modelName)).toList();
            assertThat(alerts).anySatisfy(a -> assertThat(a).contains("\"version\": 2").contains("not signed"));
            assertThat(alerts).anySatisfy(a -> assertThat(a).contains("\"version\": 3").contains("does not verify"));
            assertThat(role.holder().current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(1L));
            responses.send(new ProducerRecord<>(topics.responses(), "signed-later", response("signed-later", 3)))
                    .get();
            Map<String, Long> versions = new ConcurrentHashMap<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                rewards.poll(Duration.ofMillis(200)).forEach(r -> versions.put(r.key(), r.value().getModelVersion()));
                return versions.containsKey("signed-later");
            });
            assertThat(versions).containsEntry("signed-later", 1L);
        } finally {
            role.close();
        }
    }

    @Test
    void shouldSwapInANewReleaseUnderLoadWithoutMixingVersionsOrLosingResponses() throws Exception {
        // Given
        int total = 3_000;
        String app = "scorer-swap-" + UUID.randomUUID();
        Path dir = ModelFixtures.trained(FeatureLayout.SEPARATE);
        String modelName = ModelDirectory.readMetadata(dir).name();
        var releaseSerde = AvroSerde.specific(ModelRelease.class,
                SchemaRegistryClients.create(Map.of("schema.registry.url", registryUrl)),
                AvroSerdeConfig.defaults());
        Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        Map<Integer, List<long[]>> offsetVersions = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, ScoredResponse> consumer = rewardConsumer()) {
                consumer.subscribe(Set.of(topics.rewards()));
                while (reading.get()) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        counts.merge(r.key(), 1, Integer::sum);
                        offsetVersions.computeIfAbsent(r.partition(), k -> new CopyOnWriteArrayList<>())
                                .add(new long[] {r.offset(), r.value().getModelVersion()});
                    });
                }
            }
        }, "it-reward-reader");
        reader.start();
        ScorerRole role = ScorerRole.start(settings(app), connection("state"), new ModelSource.Releases(modelName));
        try (KafkaProducer<String, ModelRelease> releases = new KafkaProducer<>(producerProps,
                new StringSerializer(), releaseSerde.serializer());
             KafkaProducer<String, RolloutResponse> responses = responseProducer()) {
            releases.send(new ProducerRecord<>(topics.models(), modelName, Releases.of(dir, 1).build())).get();
            await().atMost(Duration.ofMinutes(1)).until(() -> readyStatus(role) == 200);

            // When
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                String id = "swap-" + i;
                responses.send(new ProducerRecord<>(topics.responses(), id, response(id, i)));
            }
            responses.flush();
            await().atMost(Duration.ofMinutes(3)).until(() -> counts.size() >= total / 5);
            releases.send(new ProducerRecord<>(topics.models(), modelName, Releases.of(dir, 2).build())).get();

            // Then
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> counts.size() >= total);
            LOG.info("FIGURE {} responses scored end to end (produce -> rewards read_committed) with a swap under"
                    + " load in {} ms", total, (System.nanoTime() - start) / 1_000_000);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> counts.size() == total);
            assertThat(counts.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
            Set<Long> seen = new HashSet<>();
            offsetVersions.values().forEach(list -> {
                List<long[]> sorted = list.stream().sorted(Comparator.comparingLong(a -> a[0]))
                        .toList();
                for (int i = 1; i < sorted.size(); i++) {
                    assertThat(sorted.get(i)[1]).as("version after offset %d", sorted.get(i - 1)[0])
                            .isGreaterThanOrEqualTo(sorted.get(i - 1)[1]);
                }
                sorted.forEach(a -> seen.add(a[1]));
            });
            assertThat(seen).containsExactlyInAnyOrder(1L, 2L);
            assertThat(role.holder().current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(2L));
        } finally {
            reading.set(false);
            reader.join();
            role.close();
        }
    }

    private List<String> refusalAlerts() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-alerts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var serde = AvroSerde.specificByWriterName(
                SchemaRegistryClients.create(Map.of("schema.registry.url", registryUrl)),
                AvroSerdeConfig.defaults());
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                serde.deserializer())) {
            consumer.subscribe(Set.of(topics.metrics()));
            List<String> out = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value().toString()));
                return !out.isEmpty();
            });
            return out;
        }
    }
}
