package io.rewardstream.scorer.release;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic from its beginning and puts the newest PROMOTED release in service: loaded beside
 * the current model, swapped in by the {@link ModelHolder}. A release that fails to load or verify is refused
 * and reported; the current model keeps serving and an older version is never swapped back in. A record that cannot
 * be decoded at all is reported the same way and skipped, so that a corrupt record cannot stop the follower. A broker
 * or registry that cannot be reached is waited for, with growing pauses, never a reason to stop.
 */
final class ReleaseWatcher implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatcher.class);
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REACH_CHECK = Duration.ofSeconds(10);
    private static final Duration REACH_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<String, ModelRelease> consumer;
    private final String topic;
    private final String modelName;
    private final ModelHolder holder;
    private final Function<ModelRelease, ScoringModel> loader;
    private final ReleaseRefusals refusals;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private long newestTried = Long.MIN_VALUE;
    private volatile String status = "starting";
    private volatile boolean following;

    ReleaseWatcher(Consumer<String, ModelRelease> consumer, String topic, String modelName, ModelHolder holder,
                   Function<ModelRelease, ScoringModel> loader, ReleaseRefusals refusals) {
        this.consumer = consumer;
        this.topic = topic;
        this.modelName = modelName;
        this.holder = holder;
        this.loader = loader;
        this.refusals = refusals;
    }

    /**
     * Follows the topic until closed. While the broker or the registry cannot be reached (at start or later), it
     * retries with a growing pause and says so in {@link #status()}; the model in service keeps serving.
     */
    @Override
    public void run() {
        Duration pause = FIRST_PAUSE;
        try {
            while (running.get()) {
                try {
                    follow();
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                } catch (KafkaException e) {
                    if (!running.get()) {
                        return;
                    }
                    pause = following ? FIRST_PAUSE : pause;
                    following = false;
                    status = "cannot follow " + topic + " (" + e.getMessage() + "); retrying in " + pause.toSeconds()
                            + " s";
                    LOG.warn("Releases: {}", status);
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
                }
            }
        } finally {
            consumer.close();
        }
    }

    /** Reads the topic from its beginning and offers the newest servable release, until closed. */
    private void follow() {
        status = "looking up " + topic;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, LOOKUP_TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new KafkaException("the topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, LOOKUP_TIMEOUT);
        following = true;
        status = "reading the releases published so far on " + topic;
        LOG.info("Following model releases on {} ({})", topic, modelName == null ? "any model" : modelName);
        ModelRelease newest = null;
        boolean caughtUp = false;
        long nextCheck = System.nanoTime() + REACH_CHECK.toNanos();
        while (running.get()) {
            for (ConsumerRecord<String, ModelRelease> record : poll()) {
                ModelRelease r = record.value();
                if (servable(r) && (newest == null || r.getVersion() > newest.getVersion())) {
                    newest = r;
                }
            }
            // Until the releases published before the start are read, only the newest of them is kept, so
            // that a restart loads one model rather than every version in turn.
            if (!caughtUp && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                caughtUp = true;
                status = "following " + topic;
            }
            if (caughtUp && newest != null && newest.getVersion() > newestTried) {
                offer(newest);
            }
            if (System.nanoTime() - nextCheck > 0) {
                checkReach(partitions);
                nextCheck = System.nanoTime() + REACH_CHECK.toNanos();
            }
        }
    }

    /**
     * One poll. A record that cannot be decoded because the registry cannot be reached fails the poll, so that it
     * is read again after a pause; any other undecodable record is reported, skipped, and the poll repeated, so that
     * a corrupt record cannot stop the follower.
     */
    private Iterable<ConsumerRecord<String, ModelRelease>> poll() {
        while (true) {
            try {
                return consumer.poll(POLL);
            } catch (RecordDeserializationException e) {
                if (RegistryUnavailableException.isIn(e)) {
                    throw e;
                }
                String reason = "record at " + e.topicPartition() + "@" + e.offset() + " is not a readable release: "
                        + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
                LOG.warn("Skipping a {}", reason);
                String key = e.keyBuffer() == null ? modelName
                        : StandardCharsets.UTF_8.decode(e.keyBuffer().duplicate()).toString();
                refusals.reportUndecodable(key, reason);
                consumer.seek(e.topicPartition(), e.offset() + 1);
            }
        }
    }

    /**
     * Asks the broker for the end offsets: the consumer itself waits quietly while the broker is away, so this is
     * how {@link #status()} learns of it.
     */
    private void checkReach(List<TopicPartition> partitions) {
        try {
            consumer.endOffsets(partitions, REACH_TIMEOUT);
            if (status.startsWith("cannot reach")) {
                LOG.info("Releases: the broker answers again");
            }
            status = "following " + topic;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            if (!status.startsWith("cannot reach")) {
                status = "cannot reach the broker since " + LocalTime.now().withNano(0)
                        + "; serving the model in service meanwhile";
                LOG.warn("Releases: {}", status);
            }
        }
    }

    private void sleep(Duration pause) {
        synchronized (running) {
            long until = System.nanoTime() + pause.toNanos();
            long left;
            while (running.get() && (left = until - System.nanoTime()) > 0) {
                try {
                    running.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.set(false);
                }
            }
        }
    }

    /** What the follower is doing now, for readiness and the status page. */
    String status() {
        return status;
    }

    private boolean servable(ModelRelease r) {
        return r != null && r.getStatus() == ReleaseStatus.PROMOTED
                && (modelName == null || modelName.equals(r.getModelName()));
    }

    private void offer(ModelRelease release) {
        newestTried = release.getVersion();
        long current = holder.current().map(ScoringModel::version).orElse(Long.MIN_VALUE);
        if (release.getVersion() <= current) {
            return;
        }
        String what = "release " + release.getModelName() + " version " + release.getVersion();
        if (!holder.tryInstall(what, () -> loader.apply(release))) {
            refusals.report(release, holder.lastRefusal().orElse(what + " refused"));
        }
    }

    @Override
    public void close() {
        synchronized (running) {
            running.set(false);
            running.notifyAll();
        }
        consumer.wakeup();
    }
}
