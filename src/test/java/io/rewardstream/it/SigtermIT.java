package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
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
import io.rewardstream.testkit.KraftClusterExtension;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM, as an orchestrator sends it at every rolling restart, to {@code run --role all} from the jar ten times
 * while its scorer scores responses at full rate and its trainer encodes preference events: each exit is clean (code
 * 0, no JVM crash report), and across the ten restarts every response gets exactly one reward (a read_committed
 * consumer counts them by id) and no event is dead-lettered. Before the orderly stop, ONNX Runtime's own shutdown
 * hook freed its environment under the stream threads and the JVM died with SIGSEGV in libonnxruntime.so.
 */
class SigtermIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final int CYCLES = 10;
    /** Rewards each run writes before it gets its SIGTERM: it is scoring at full rate by then. */
    private static final int REWARDS_PER_CYCLE = 300;
    /** Responses produced ahead of the rewards: enough that the scorer never waits for input. */
    private static final int BACKLOG = 2_000;

    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();

    @TempDir
    Path temp;

    @BeforeAll
    static void createTopics() throws Exception {
        cluster.createTopics(Map.of(TOPICS.preferences(), 2, TOPICS.responses(), 3, TOPICS.rewards(), 3,
                TOPICS.deadLetters(), 1, TOPICS.metrics(), 1, TOPICS.models(), 1, TOPICS.artifacts(), 1));
    }

    @Test
    void shouldExitCleanlyOnEachSigtermWhileScoringAtFullRateAndLoseOrDoubleNoReward() throws Exception {
        // Given a stream of responses kept ahead of the scorer, preference events for the trainer, and counters
        String registryUrl = RealRegistry.url();
        ScoringSerdes scoring = ScoringSerdes.forRegistry(registryUrl);
        TrainerSerdes training = TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
                registryUrl)), AvroSerdeConfig.defaults());
        Path model = ModelFixtures.trained(FeatureLayout.SEPARATE);
        String run = UUID.randomUUID().toString();
        Map<String, String> env = JarProcess.roleEnv(cluster.bootstrapServers(), registryUrl, temp.resolve("state"));
        env.put("REWARDSTREAM_APPLICATION_ID", "sigterm-trainer-" + run);
        env.put("REWARDSTREAM_SCORING_APPLICATION_ID", "sigterm-scorer-" + run);
        env.put("RS_LOG_LEVEL", "INFO");
        Map<String, Integer> rewards = new ConcurrentHashMap<>();
        AtomicInteger deadLetters = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread rewardReader = reader(scoring, rewards, deadLetters, reading);
        Thread producer = producer(scoring, training, sent, rewards, producing);
        List<String> args = List.of("run", "--role", "all", "--model", model.toString(), "--http-port", "0");
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                // When the process runs until it has written another batch of rewards, then gets SIGTERM
                try (JarProcess process = JarProcess.start(temp.resolve("run-" + cycle), "run", env, args)) {
                    int before = rewards.size();
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                            .until(() -> rewards.size() >= before + REWARDS_PER_CYCLE || !process.isAlive());
                    assertThat(process.isAlive()).as("run %d scores until stopped; its output:%n%s", cycle,
                            process.output()).isTrue();
                    int exit = process.terminate(150);

                    // Then it stops cleanly: exit code 0, no crash report, both roles closed in order
                    assertThat(exit).as("exit code of run %d; its output:%n%s", cycle, process.output()).isZero();
                    assertThat(process.crashReports()).as("JVM crash reports of run %d", cycle).isEmpty();
                    assertThat(process.output()).contains("Scorer stopped").contains("Trainer stopped")
                            .doesNotContain("did not close within");
                }
            }
            producing.set(false);
            producer.join();
            try (JarProcess last = JarProcess.start(temp.resolve("run-last"), "run", env, args)) {
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                        .until(() -> rewards.size() >= sent.get() || !last.isAlive());
                assertThat(last.terminate(150)).as(last.output()).isZero();
            }

            // And across all restarts every response has exactly one reward, and nothing was dead-lettered
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                    .until(() -> rewards.size() == sent.get());
            assertThat(rewards).hasSize(sent.get());
            assertThat(rewards.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
            assertThat(deadLetters.get()).isZero();
        } finally {
            producing.set(false);
            reading.set(false);
            producer.join();
            rewardReader.join();
        }
    }

    /** Counts rewards by response id and dead letters, as committed. */
    private static Thread reader(ScoringSerdes serdes, Map<String, Integer> rewards, AtomicInteger deadLetters,
                                 AtomicBoolean reading) {
        Thread thread = new Thread(() -> {
            try (KafkaConsumer<String, ScoredResponse> consumer = cluster.committedConsumer(
                    serdes.rewards().deserializer(), TOPICS.rewards());
                 KafkaConsumer<String, DeadLetter> dead = cluster.committedConsumer(
                         serdes.deadLetters().deserializer(), TOPICS.deadLetters())) {
                while (reading.get()) {
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> rewards.merge(r.key(), 1, Integer::sum));
                    deadLetters.addAndGet(dead.poll(Duration.ofMillis(1)).count());
                }
            }
        }, "sigterm-reader");
        thread.start();
        return thread;
    }

    /** Keeps {@link #BACKLOG} responses ahead of the rewards, with a preference event for every tenth. */
    private static Thread producer(ScoringSerdes scoring, TrainerSerdes training, AtomicInteger sent,
                                   Map<String, Integer> rewards, AtomicBoolean producing) {
        Thread thread = new Thread(() -> {
            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
            SyntheticPreferences generator = new SyntheticPreferences(11, 0.0);
            try (KafkaProducer<String, RolloutResponse> responses = new KafkaProducer<>(props, new StringSerializer(),
                    scoring.responses().serializer());
                 KafkaProducer<String, PreferenceEvent> preferences = new KafkaProducer<>(props,
                         new StringSerializer(), training.preferences().serializer())) {
                while (producing.get()) {
                    if (sent.get() - rewards.size() >= BACKLOG) {
                        responses.flush();
                        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                                .atMost(Duration.ofMinutes(10))
                                .until(() -> sent.get() - rewards.size() < BACKLOG || !producing.get());
                        continue;
                    }
                    int i = sent.get();
                    String id = "sigterm-" + i;
                    responses.send(new ProducerRecord<>(TOPICS.responses(), id, RolloutResponse.newBuilder()
                            .setResponseId(id).setPrompt("Question " + (i % 50) + "?")
                            .setResponse("Answer number " + i + " with a few more words").setCreatedAt(Instant.now())
                            .build()));
                    if (i % 10 == 0) {
                        PreferencePair pair = generator.next();
                        String eventId = "sigterm-event-" + i;
                        preferences.send(new ProducerRecord<>(TOPICS.preferences(), eventId,
                                PreferenceEvent.newBuilder().setEventId(eventId).setPrompt(pair.prompt())
                                        .setResponses(List.of(pair.chosen(), pair.rejected()))
                                        .setRanking(List.of(0, 1)).setEventTime(Instant.now()).build()));
                    }
                    sent.incrementAndGet();
                }
                responses.flush();
                preferences.flush();
            }
        }, "sigterm-producer");
        thread.start();
        return thread;
    }
}
