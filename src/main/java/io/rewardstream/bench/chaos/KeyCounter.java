package io.rewardstream.bench.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts, by key, the committed records of a topic (a read_committed consumer, from the start): what a downstream
 * consumer of the rewards sees. Keys outside the chaos run's prefix are ignored. The consumer is assigned every
 * partition and keeps its positions itself, without a group, and a record is counted once per (partition, offset):
 * a broker restart that makes a consumer read part of a partition again is not taken for a duplicate reward, which
 * would be a second record with the same key at another offset.
 */
final class KeyCounter implements AutoCloseable {

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    KeyCounter(String bootstrap, String topic, Predicate<String> keys) {
        this.thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (r.key() != null && keys.test(r.key())
                                && seen.add(r.partition() + "@" + r.offset())) {
                            counts.merge(r.key(), 1, Integer::sum);
                        }
                    });
                }
            }
        }, "chaos-count-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Keys seen at least once, among those starting with {@code prefix}. */
    int distinct(String prefix) {
        return (int) counts.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    /** Records beyond the first per key, among keys starting with {@code prefix}. */
    int duplicates(String prefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToInt(e -> e.getValue() - 1).sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
