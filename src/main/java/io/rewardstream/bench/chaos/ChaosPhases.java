package io.rewardstream.bench.chaos;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.config.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The phases of a chaos run. Each starts its roles from the jar on topics of its own, injects its faults while data
 * flows, waits for everything sent to be processed (or for its time to run out), and counts what came out.
 */
final class ChaosPhases {

    /** Longest a phase waits for its data to be processed after the last fault. */
    private static final Duration SETTLE = Duration.ofMinutes(10);

    private final ChaosCluster cluster;
    private final ChaosSettings settings;
    private final Path model;
    private final Consumer<String> progress;

    ChaosPhases(ChaosCluster cluster, ChaosSettings settings, Path model, Consumer<String> progress) {
        this.cluster = cluster;
        this.settings = settings;
        this.model = model;
        this.progress = progress;
    }

    /** SIGKILL + restart of the only scorer, {@code settings.scorerKills()} times, while responses flow. */
    PhaseResult scorerKills() throws Exception {
        String phase = "scorer-kills";
        long start = System.nanoTime();
        Topics topics = cluster.topics(phase);
        List<String> notes = new ArrayList<>();
        try (KeyCounter rewards = new KeyCounter(cluster.bootstrap(), topics.rewards(), k -> k.startsWith(phase));
             Feed<RolloutResponse> feed = cluster.responses(phase, topics)) {
            RoleProcess scorer = cluster.start(phase, "scorer-kills-1", "scorer", topics, model);
            int kills = settings.scorerKills();
            for (int k = 1; k <= kills; k++) {
                int target = settings.responses() * k / (kills + 1);
                awaitOrNote(() -> rewards.distinct(phase) >= target, SETTLE, notes, "reward " + target);
                progress.accept(phase + ": SIGKILL " + k + " of " + kills + " after " + rewards.distinct(phase)
                        + " rewards");
                scorer.kill();
                scorer = cluster.start(phase, "scorer-kills-" + (k + 1), "scorer", topics, model);
            }
            feed.await();
            awaitOrNote(() -> rewards.distinct(phase) >= feed.acknowledged(), SETTLE, notes, "every reward");
            settle(rewards, phase);
            end(scorer, notes);
            return new PhaseResult(phase, kills, feed.acknowledged(), rewards.distinct(phase),
                    rewards.duplicates(phase), -1, -1, -1, -1, -1, seconds(start), String.join("; ", notes));
        }
    }

    /** SIGKILL + restart of the only trainer, {@code settings.trainerKills()} times, while events flow. */
    PhaseResult trainerKills() throws Exception {
        String phase = "trainer-kills";
        long start = System.nanoTime();
        Topics topics = cluster.topics(phase);
        List<String> notes = new ArrayList<>();
        String group = "chaos-" + phase + "-trainer";
        try (Feed<PreferenceEvent> feed = cluster.events(phase, topics)) {
            RoleProcess trainer = cluster.start(phase, "trainer-kills-1", "trainer", topics, model);
            int kills = settings.trainerKills();
            for (int k = 1; k <= kills; k++) {
                long target = (long) settings.events() * k / (kills + 1);
                awaitOrNote(() -> consumed(group, topics.preferences()) >= target, SETTLE, notes,
                        "consume " + target + " events");
                progress.accept(phase + ": SIGKILL " + k + " of " + kills + " after "
                        + consumed(group, topics.preferences()) + " events consumed");
                trainer.kill();
                trainer = cluster.start(phase, "trainer-kills-" + (k + 1), "trainer", topics, model);
            }
            feed.await();
            return trainerOutcome(phase, topics, feed, kills, trainer, start, notes);
        }
    }

    /** Two scorers sharing the work; one is killed mid-stream and not restarted, the other takes its partitions. */
    PhaseResult rebalance() throws Exception {
        String phase = "rebalance";
        long start = System.nanoTime();
        Topics topics = cluster.topics(phase);
        List<String> notes = new ArrayList<>();
        try (KeyCounter rewards = new KeyCounter(cluster.bootstrap(), topics.rewards(), k -> k.startsWith(phase));
             Feed<RolloutResponse> feed = cluster.responses(phase, topics)) {
            RoleProcess first = cluster.start(phase, "rebalance-a", "scorer", topics, model);
            RoleProcess second = cluster.start(phase, "rebalance-b", "scorer", topics, model);
            awaitOrNote(() -> rewards.distinct(phase) >= settings.responses() * 3 / 10, SETTLE, notes,
                    "reward 30%");
            progress.accept(phase + ": SIGKILL of one of two scorers after " + rewards.distinct(phase) + " rewards");
            first.kill();
            feed.await();
            awaitOrNote(() -> rewards.distinct(phase) >= feed.acknowledged(), SETTLE, notes, "every reward");
            settle(rewards, phase);
            end(second, notes);
            return new PhaseResult(phase, 1, feed.acknowledged(), rewards.distinct(phase), rewards.duplicates(phase),
                    -1, -1, -1, -1, -1, seconds(start), String.join("; ", notes));
        }
    }

    /** The broker stopped and started again while a scorer and a trainer work; they must carry on by themselves. */
    PhaseResult brokerRestart() throws Exception {
        String phase = "broker-restart";
        return bothRoles(phase, (scorer, topics, rewards) -> {
            progress.accept(phase + ": restarting the broker after " + rewards.distinct(phase) + " rewards");
            cluster.restartBroker();
            progress.accept(phase + ": the broker is back");
        });
    }

    /**
     * The registry cut while a scorer and a trainer work, the scorer killed and restarted during the outage (its
     * start-up must wait for the registry), then the registry back.
     */
    PhaseResult registryOutage() throws Exception {
        String phase = "registry-outage";
        return bothRoles(phase, (scorer, topics, rewards) -> {
            progress.accept(phase + ": cutting the registry after " + rewards.distinct(phase) + " rewards");
            cluster.registryRelay().cut();
            scorer[0].kill();
            scorer[0] = cluster.start(phase, "registry-outage-scorer-2", "scorer", topics, model);
            TimeUnit.SECONDS.sleep(20);
            progress.accept(phase + ": registry back after 20 s");
            cluster.registryRelay().restore();
        });
    }

    /** A fault injected into a running phase; {@code scorer[0]} may be replaced. */
    @FunctionalInterface
    private interface Fault {
        void inject(RoleProcess[] scorer, Topics topics, KeyCounter rewards) throws Exception;
    }

    private PhaseResult bothRoles(String phase, Fault fault) throws Exception {
        long start = System.nanoTime();
        Topics topics = cluster.topics(phase);
        List<String> notes = new ArrayList<>();
        try (KeyCounter rewards = new KeyCounter(cluster.bootstrap(), topics.rewards(), k -> k.startsWith(phase));
             Feed<RolloutResponse> responses = cluster.responses(phase, topics);
             Feed<PreferenceEvent> events = cluster.events(phase, topics)) {
            RoleProcess[] scorer = {cluster.start(phase, phase + "-scorer", "scorer", topics, model)};
            RoleProcess trainer = cluster.start(phase, phase + "-trainer", "trainer", topics, model);
            awaitOrNote(() -> rewards.distinct(phase) >= settings.responses() * 4 / 10, SETTLE, notes, "reward 40%");
            fault.inject(scorer, topics, rewards);
            responses.await();
            awaitOrNote(() -> rewards.distinct(phase) >= responses.acknowledged(), SETTLE, notes, "every reward");
            settle(rewards, phase);
            if (!scorer[0].isAlive()) {
                notes.add("the scorer exited by itself with code " + scorer[0].exitCode());
            }
            end(scorer[0], notes);
            events.await();
            PhaseResult training = trainerOutcome(phase, topics, events, 1, trainer, start, notes);
            return new PhaseResult(phase, 1, responses.acknowledged(), rewards.distinct(phase),
                    rewards.duplicates(phase), training.events(), training.pairsInStore(), training.releases(),
                    training.repeatedVersions(), training.backwardVersions(), seconds(start),
                    String.join("; ", notes));
        }
    }

    private PhaseResult trainerOutcome(String phase, Topics topics, Feed<PreferenceEvent> feed, int faults,
                                       RoleProcess trainer, long start, List<String> notes)
            throws InterruptedException {
        TrainerAudit audit = new TrainerAudit(cluster.bootstrap());
        String app = "chaos-" + phase + "-trainer";
        awaitOrNote(() -> audit.pairsInStore(app) >= feed.acknowledged(), SETTLE, notes, "store every pair");
        if (!trainer.isAlive()) {
            notes.add("the trainer exited by itself with code " + trainer.exitCode());
        }
        end(trainer, notes);
        List<Long> versions = audit.versions(topics.models(), cluster.training.releases().deserializer());
        return new PhaseResult(phase, faults, 0, 0, 0, feed.acknowledged(), audit.pairsInStore(app), versions.size(),
                TrainerAudit.repeated(versions), TrainerAudit.backwards(versions), seconds(start),
                String.join("; ", notes));
    }

    /** Committed offsets of {@code group} on {@code topic}, summed over partitions. */
    private long consumed(String group, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap()))) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Gives late duplicates a moment to show up before counting: rewards stop changing for 3 s. */
    private static void settle(KeyCounter rewards, String phase) throws InterruptedException {
        int before;
        do {
            before = rewards.distinct(phase) + rewards.duplicates(phase);
            TimeUnit.SECONDS.sleep(3);
        } while (rewards.distinct(phase) + rewards.duplicates(phase) != before);
    }

    private static void awaitOrNote(BooleanSupplier done, Duration limit, List<String> notes, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                notes.add("timed out waiting to " + what);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static void end(RoleProcess process, List<String> notes) throws InterruptedException {
        if (process.isAlive()) {
            int exit = process.terminate(120);
            if (exit != 0) {
                notes.add(process.name() + " exited with " + exit + " on SIGTERM");
            }
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
