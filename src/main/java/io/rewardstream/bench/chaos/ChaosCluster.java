package io.rewardstream.bench.chaos;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.bench.TcpProxy;
import io.rewardstream.config.Topics;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.embedded.EmbeddedKafka;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The world a chaos run happens in: an embedded broker on a fixed port (so that it can be restarted under the roles),
 * the real registry behind a relay the roles go through (so that it can be cut), the serdes of the bench's own
 * producers and readers (which talk to the registry directly), and how a role process is launched.
 */
final class ChaosCluster implements AutoCloseable {

    private final ChaosSettings settings;
    private final Path work;
    private final TcpProxy registryRelay;
    private final String relayedRegistryUrl;
    final ScoringSerdes scoring;
    final TrainerSerdes training;
    private final List<RoleProcess> started = new ArrayList<>();
    private EmbeddedKafka kafka;

    ChaosCluster(ChaosSettings settings, Path work) {
        this.settings = settings;
        this.work = work;
        URI registry = URI.create(settings.registryUrl());
        this.registryRelay = TcpProxy.start(0, registry.getHost(), registry.getPort());
        this.relayedRegistryUrl = "http://127.0.0.1:" + registryRelay.port() + registry.getPath();
        this.scoring = ScoringSerdes.forRegistry(settings.registryUrl());
        this.training = TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
                settings.registryUrl())), AvroSerdeConfig.defaults());
        this.kafka = EmbeddedKafka.start(work.resolve("kafka"));
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    /** Stops the broker and starts it again on the same port and data. */
    void restartBroker() {
        kafka = kafka.restart();
    }

    TcpProxy registryRelay() {
        return registryRelay;
    }

    /** The topics of one phase (each phase has its own), created with 3 partitions (models: compacted, 1). */
    Topics topics(String phase) throws ExecutionException, InterruptedException {
        Topics t = new Topics("chaos." + phase + ".preferences", "chaos." + phase + ".responses",
                "chaos." + phase + ".rewards", "chaos." + phase + ".reward-models", "chaos." + phase + ".metrics",
                "chaos." + phase + ".dead-letters", "chaos." + phase + ".artifacts");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            admin.createTopics(List.of(new NewTopic(t.preferences(), 3, (short) 1),
                    new NewTopic(t.responses(), 3, (short) 1), new NewTopic(t.rewards(), 3, (short) 1),
                    new NewTopic(t.models(), 1, (short) 1).configs(compact), new NewTopic(t.metrics(), 1, (short) 1),
                    new NewTopic(t.deadLetters(), 1, (short) 1),
                    new NewTopic(t.artifacts(), 1, (short) 1).configs(compact))).all().get();
            awaitLeaders(admin, List.of(t.preferences(), t.responses(), t.rewards(), t.models(), t.metrics(),
                    t.deadLetters(), t.artifacts()));
        }
        return t;
    }

    /** Waits until every partition of {@code names} has a leader, so that the first records find one. */
    private static void awaitLeaders(Admin admin, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()
                        .stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null
                                && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not known to every part of the broker yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("topics " + names + " have no leaders after 60 s");
    }

    /** Starts {@code role} ("scorer" or "trainer") of {@code phase} as process {@code name}. */
    RoleProcess start(String phase, String name, String role, Topics topics, Path model) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        env.put("REWARDSTREAM_SCHEMA_REGISTRY_URL", relayedRegistryUrl);
        env.put("REWARDSTREAM_STATE_DIR", work.resolve("state").resolve(name).toString());
        env.put("REWARDSTREAM_APPLICATION_ID", "chaos-" + phase + "-trainer");
        env.put("REWARDSTREAM_SCORING_APPLICATION_ID", "chaos-" + phase + "-scorer");
        env.put("REWARDSTREAM_SCORING_DEVICE", "cpu");
        env.put("REWARDSTREAM_TOPICS_PREFERENCES", topics.preferences());
        env.put("REWARDSTREAM_TOPICS_RESPONSES", topics.responses());
        env.put("REWARDSTREAM_TOPICS_REWARDS", topics.rewards());
        env.put("REWARDSTREAM_TOPICS_MODELS", topics.models());
        env.put("REWARDSTREAM_TOPICS_METRICS", topics.metrics());
        env.put("REWARDSTREAM_TOPICS_DEAD_LETTERS", topics.deadLetters());
        env.put("REWARDSTREAM_TOPICS_ARTIFACTS", topics.artifacts());
        env.put("REWARDSTREAM_TRAINING_MIN_PAIRS", "200");
        env.put("REWARDSTREAM_TRAINING_MIN_NEW_PAIRS", "100");
        env.put("REWARDSTREAM_TRAINING_INTERVAL", "3s");
        env.put("KAFKA_REPLICATION_FACTOR", "1");
        // A killed member never leaves its group: the shortest session the broker allows hands its partitions on soon.
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        env.put("RS_LOG_LEVEL", "INFO");
        List<String> args = role.equals("scorer")
                ? List.of("run", "--role", "scorer", "--model", model.toString(), "--http-port", "0")
                : List.of("run", "--role", "trainer", "--http-port", "0");
        RoleProcess process = RoleProcess.start(settings.jar(), work.resolve("logs"), name, env, args);
        started.add(process);
        return process;
    }

    /** Processes started that ended by themselves with a non-zero code other than by SIGKILL (137), with it. */
    List<String> crashed() {
        List<String> out = new ArrayList<>();
        for (RoleProcess p : started) {
            Integer code = p.exitCode();
            if (code != null && code != 0 && code != 137) {
                out.add(p.name() + " (exit " + code + ")");
            }
        }
        return out;
    }

    /** Responses keyed {@code phase-i} at the configured rate. */
    Feed<RolloutResponse> responses(String phase, Topics topics) {
        return new Feed<>(phase + "-responses", bootstrap(), scoring.responses().serializer(), settings.responses(),
                settings.responsesPerSecond(), i -> {
                    String id = phase + "-" + i;
                    return new ProducerRecord<>(topics.responses(), id, RolloutResponse.newBuilder().setResponseId(id)
                            .setPrompt("Question " + (i % 97) + ": what would you do?")
                            .setResponse("Answer " + i + ": I would think it over first.")
                            .setCreatedAt(Instant.now()).build());
                });
    }

    /** Pairwise preference events (one pair each) with ids {@code phase-event-i}, following a hidden rule. */
    Feed<PreferenceEvent> events(String phase, Topics topics) {
        SyntheticPreferences generator = new SyntheticPreferences(phase.hashCode(), 0.0);
        List<PreferencePair> pairs = generator.pairs(settings.events());
        return new Feed<>(phase + "-events", bootstrap(), training.preferences().serializer(), settings.events(),
                settings.eventsPerSecond(), i -> {
                    String id = phase + "-event-" + i;
                    PreferencePair p = pairs.get(i);
                    return new ProducerRecord<>(topics.preferences(), id, PreferenceEvent.newBuilder().setEventId(id)
                            .setPrompt(p.prompt()).setResponses(List.of(p.chosen(), p.rejected()))
                            .setRanking(List.of(0, 1)).setEventTime(Instant.now()).build());
                });
    }

    /** Kills every role process still running, then stops the relay and the broker. */
    @Override
    public void close() throws InterruptedException {
        for (RoleProcess p : started) {
            p.close();
        }
        registryRelay.close();
        kafka.close();
    }
}
