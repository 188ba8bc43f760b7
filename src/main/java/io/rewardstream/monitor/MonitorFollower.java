package io.rewardstream.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models and metrics topics as a monitoring consumer: every partition assigned (no consumer group, so it
 * never disturbs others and commits nothing), committed records only, from the end or from the beginning, each
 * record decoded with its topic's deserializer and handed on. A record that cannot be decoded is reported and
 * skipped.
 */
public final class MonitorFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorFollower.class);

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final Map<String, Deserializer<? extends SpecificRecord>> topics;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param topics each followed topic and the deserializer of its values
     */
    public MonitorFollower(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
                           Map<String, Deserializer<? extends SpecificRecord>> topics, boolean fromBeginning) {
        this.consumer = consumer;
        this.topics = topics;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics.keySet()) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (or is not visible to this user)");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
    }

    /** Reads and hands on events until {@link #stop} or {@code until} has passed (zero: no limit). */
    public void run(Consumer<SpecificRecord> events, Duration until) {
        long end = until.isZero() ? Long.MAX_VALUE : System.nanoTime() + until.toNanos();
        try {
            while (running.get() && System.nanoTime() - end < 0) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        events.accept(topics.get(record.topic()).deserialize(record.topic(), record.value()));
                    } catch (RuntimeException e) {
                        LOG.warn("Skipped a record at {}-{}@{} that cannot be read: {}", record.topic(),
                                record.partition(), record.offset(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        }
    }

    /** Makes {@link #run} return soon; safe from another thread. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
