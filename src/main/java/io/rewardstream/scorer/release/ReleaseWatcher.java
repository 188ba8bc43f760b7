package io.rewardstream.scorer.release;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic from its beginning and puts the newest PROMOTED release in service: loaded beside
 * the current model, swapped in by the {@link ModelHolder}. A release that fails to load or verify is refused
 * and reported; the current model keeps serving and an older version is never swapped back in. A record that cannot
 * be decoded at all is reported the same way and skipped, so that a corrupt record cannot stop the follower.
 */
final class ReleaseWatcher implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseWatcher.class);

    private final Consumer<String, ModelRelease> consumer;
    private final String topic;
    private final String modelName;
    private final ModelHolder holder;
    private final Function<ModelRelease, ScoringModel> loader;
    private final ReleaseRefusals refusals;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private long newestTried = Long.MIN_VALUE;

    ReleaseWatcher(Consumer<String, ModelRelease> consumer, String topic, String modelName, ModelHolder holder,
                   Function<ModelRelease, ScoringModel> loader, ReleaseRefusals refusals) {
        this.consumer = consumer;
        this.topic = topic;
        this.modelName = modelName;
        this.holder = holder;
        this.loader = loader;
        this.refusals = refusals;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            LOG.info("Following model releases on {} ({})", topic, modelName == null ? "any model" : modelName);
            ModelRelease newest = null;
            boolean caughtUp = false;
            while (running.get()) {
                for (ConsumerRecord<String, ModelRelease> record : poll()) {
                    ModelRelease r = record.value();
                    if (servable(r) && (newest == null || r.getVersion() > newest.getVersion())) {
                        newest = r;
                    }
                }
                // Until the releases published before the start are read, only the newest of them is kept, so
                // that a restart loads one model rather than every version in turn.
                caughtUp = caughtUp || partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (caughtUp && newest != null && newest.getVersion() > newestTried) {
                    offer(newest);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close();
        }
    }

    /** The next records; a record that cannot be decoded is reported, skipped, and the poll repeated. */
    private Iterable<ConsumerRecord<String, ModelRelease>> poll() {
        while (true) {
            try {
                return consumer.poll(Duration.ofMillis(500));
            } catch (RecordDeserializationException e) {
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
        running.set(false);
        consumer.wakeup();
    }
}
