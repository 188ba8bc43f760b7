package io.rewardstream.demo;

import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the two roles publish (rewards, model releases, metrics and dead letters), as a monitoring consumer
 * would, and keeps the figures the demo prints. Reads committed data only, so an aborted transaction never
 * counts. Notable events (a promoted model, a drift alert, a rejected candidate) are passed on as they arrive.
 */
final class DemoObserver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoObserver.class);

    /** The value deserializers of the topics it follows. */
    record Deserializers(Deserializer<ScoredResponse> rewards, Deserializer<ModelRelease> releases,
                         Deserializer<SpecificRecord> metrics, Deserializer<DeadLetter> deadLetters) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Deserializers deserializers;
    private final Consumer<String> events;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);

    private long rewards;
    private long truncated;
    private final Map<Long, Long> rewardsByVersion = new LinkedHashMap<>();
    private long kindVersion = -1;
    private final double[] kindSum = new double[2];
    private final long[] kindCount = new long[2];
    private ModelRelease promoted;
    private int promotions;
    private int rejections;
    private int driftAlerts;
    private AccuracyReport prequential;
    private long deadLetters;
    private String lastDeadLetter;

    DemoObserver(KafkaConsumer<byte[], byte[]> consumer, Topics topics, Deserializers deserializers,
                 Consumer<String> events) {
        this.consumer = consumer;
        this.topics = topics;
        this.deserializers = deserializers;
        this.events = events;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.rewards(), topics.models(), topics.metrics(), topics.deadLetters())) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "demo-observer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        accept(record);
                    } catch (RuntimeException e) {
                        LOG.warn("Cannot read a record on {}: {}", record.topic(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.rewards())) {
            reward(deserializers.rewards().deserialize(topic, record.value()));
        } else if (topic.equals(topics.models())) {
            release(deserializers.releases().deserialize(topic, record.value()));
        } else if (topic.equals(topics.metrics())) {
            metric(deserializers.metrics().deserialize(topic, record.value()));
        } else if (topic.equals(topics.deadLetters())) {
            DeadLetter d = deserializers.deadLetters().deserialize(topic, record.value());
            synchronized (this) {
                deadLetters++;
                lastDeadLetter = d.getStage() + ": " + d.getErrorMessage();
            }
        }
    }

    private synchronized void reward(ScoredResponse r) {
        rewards++;
        if (r.getTruncated()) {
            truncated++;
        }
        rewardsByVersion.merge(r.getModelVersion(), 1L, Long::sum);
        if (r.getModelVersion() != kindVersion) {
            kindVersion = r.getModelVersion();
            kindSum[0] = kindSum[1] = 0;
            kindCount[0] = kindCount[1] = 0;
        }
        String kind = r.getMetadata().get(RolloutWorker.KIND);
        if (kind != null) {
            int k = kind.equals("good") ? 0 : 1;
            kindSum[k] += r.getRewardNormalized();
            kindCount[k]++;
        }
    }

    private void release(ModelRelease release) {
        String message;
        synchronized (this) {
            if (release.getStatus() == ReleaseStatus.PROMOTED) {
                promoted = release;
                promotions++;
                message = String.format(Locale.ROOT, "model v%d promoted: held-out accuracy %.3f on %d pairs, trained"
                        + " on %d pairs%s", release.getVersion(), release.getEvaluation().getAccuracy(),
                        release.getTraining().getHeldoutPairs(), release.getTraining().getTrainPairs(),
                        release.getEvaluation().getLiveAccuracy() == null ? ""
                                : String.format(Locale.ROOT, " (the previous model scored %.3f on the same pairs)",
                                        release.getEvaluation().getLiveAccuracy()));
            } else {
                message = "release v" + release.getVersion() + " published with status " + release.getStatus();
            }
        }
        events.accept(message);
    }

    private void metric(SpecificRecord metric) {
        String message = null;
        synchronized (this) {
            if (metric instanceof AccuracyReport a && a.getKind() == AccuracyKind.PREQUENTIAL && a.getPairs() > 0) {
                if (prequential == null || !a.getWindowEnd().isBefore(prequential.getWindowEnd())) {
                    prequential = a;
                }
            } else if (metric instanceof DriftAlert d) {
                driftAlerts++;
                message = "drift alert (" + d.getDetector() + "): " + d.getMessage();
            } else if (metric instanceof ReleaseRejected r) {
                rejections++;
                message = "candidate v" + r.getVersion() + " not promoted (" + r.getStage() + "): " + r.getReason();
            }
        }
        if (message != null) {
            events.accept(message);
        }
    }

    /** The figures at this moment. */
    synchronized Snapshot snapshot() {
        return new Snapshot(rewards, truncated, Map.copyOf(rewardsByVersion), promoted == null ? -1 : promoted.getVersion(),
                promoted == null ? Double.NaN : promoted.getEvaluation().getAccuracy(), promotions, rejections,
                driftAlerts, prequential == null ? Double.NaN : prequential.getAccuracy(),
                prequential == null ? 0 : prequential.getPairs(), kindVersion,
                kindCount[0] == 0 ? Double.NaN : kindSum[0] / kindCount[0],
                kindCount[1] == 0 ? Double.NaN : kindSum[1] / kindCount[1], deadLetters, lastDeadLetter);
    }

    /**
     * @param latestVersion   newest promoted version, -1 before the first
     * @param prequentialPairs pairs in the newest prequential window
     * @param goodMean        mean normalised reward of good rollouts scored by {@code kindVersion}
     */
    record Snapshot(long rewards, long truncated, Map<Long, Long> rewardsByVersion, long latestVersion,
                    double latestAccuracy, int promotions, int rejections, int driftAlerts, double prequential,
                    long prequentialPairs, long kindVersion, double goodMean, double badMean, long deadLetters,
                    String lastDeadLetter) {
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
