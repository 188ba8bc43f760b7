package io.rewardstream.bench.chaos;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.trainer.stream.StoreNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the trainer has durably: the pairs of its training store, read from the store's changelog topic (what a
 * restarted trainer restores the store from), and the versions it published on the models topic, in order.
 */
final class TrainerAudit {

    /** A window store's changelog key ends with the window start (8 bytes) and a sequence number (4 bytes). */
    private static final int WINDOW_KEY_SUFFIX = 12;

    private final String bootstrap;

    TrainerAudit(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Distinct pair ids whose latest changelog record holds a pair (not a tombstone). */
    int pairsInStore(String applicationId) {
        Map<String, Boolean> present = new HashMap<>();
        readAll(applicationId + "-" + StoreNames.TRAINING_PAIRS + "-changelog", new ByteArrayDeserializer(),
                record -> {
                    byte[] key = record.key();
                    String pairId = new String(Arrays.copyOf(key, Math.max(0, key.length - WINDOW_KEY_SUFFIX)),
                            StandardCharsets.UTF_8);
                    present.put(pairId, record.value() != null);
                });
        return (int) present.values().stream().filter(Boolean::booleanValue).count();
    }

    /** Versions of the releases on {@code topic}, in the order they were published. */
    List<Long> versions(String topic, Deserializer<ModelRelease> releases) {
        List<Long> versions = new ArrayList<>();
        readAll(topic, releases, record -> {
            if (record.value() != null) {
                versions.add(record.value().getVersion());
            }
        });
        return versions;
    }

    /** Versions that appear more than once. */
    static int repeated(List<Long> versions) {
        return versions.size() - (int) versions.stream().distinct().count();
    }

    /** Releases whose version is not above every version published before them. */
    static int backwards(List<Long> versions) {
        int count = 0;
        long highest = Long.MIN_VALUE;
        for (long v : versions) {
            if (v <= highest) {
                count++;
            }
            highest = Math.max(highest, v);
        }
        return count;
    }

    private <V> void readAll(String topic, Deserializer<V> values,
                             java.util.function.Consumer<ConsumerRecord<byte[], V>> each) {
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "chaos-audit-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
