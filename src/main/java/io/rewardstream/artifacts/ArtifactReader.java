package io.rewardstream.artifacts;

import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.ArtifactRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads files from the artifacts topic: every partition from the beginning up to its end offset as of the call,
 * keeping the chunks of the wanted file. The consumer should read committed data only (chunks are written in the
 * release's transaction). Not thread-safe: one reader per thread.
 */
public final class ArtifactReader implements ArtifactSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactReader.class);

    private final Consumer<String, ArtifactChunk> consumer;
    private final String topic;
    private final Duration timeout;

    /** @param timeout longest a read may take before it gives up */
    public ArtifactReader(Consumer<String, ArtifactChunk> consumer, String topic, Duration timeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * The file {@code ref} names, joined and verified.
     *
     * @throws ArtifactException when the topic does not hold all of its parts, or they do not join to it
     */
    @Override
    public byte[] read(ArtifactRef ref) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<Integer, ArtifactChunk> parts = new HashMap<>();
        String prefix = ref.getSha256() + "/";
        while (!reachedEnd(partitions, end) && parts.size() < ref.getParts()) {
            if (System.nanoTime() - deadline > 0) {
                throw new ArtifactException("reading artifact " + ref.getSha256() + " from " + topic + " took longer"
                        + " than " + timeout + "; " + parts.size() + " of " + ref.getParts() + " parts found");
            }
            for (ConsumerRecord<String, ArtifactChunk> record : consumer.poll(Duration.ofMillis(200))) {
                ArtifactChunk chunk = record.value();
                if (record.key() != null && record.key().startsWith(prefix) && chunk != null) {
                    parts.put(chunk.getPart(), chunk);
                }
            }
        }
        LOG.info("Read {} of {} parts of artifact {} ({} bytes) from {}", parts.size(), ref.getParts(),
                ref.getSha256().substring(0, 12), ref.getSize(), topic);
        return Artifacts.join(ref, parts);
    }

    private boolean reachedEnd(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.getOrDefault(tp, 0L));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
