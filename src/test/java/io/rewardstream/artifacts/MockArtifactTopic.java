package io.rewardstream.artifacts;

import io.rewardstream.avro.ArtifactChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** An artifacts topic of one partition held by Kafka's MockConsumer, for readers in unit tests. */
public final class MockArtifactTopic {

    public static final String TOPIC = "rlhf.reward-model-artifacts";

    private MockArtifactTopic() {
    }

    /** A reader of a topic holding {@code chunks} in the order given. */
    public static ArtifactReader reader(List<ArtifactChunk> chunks) {
        MockConsumer<String, ArtifactChunk> consumer = new MockConsumer<>("earliest");
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, (long) chunks.size()));
        List<ArtifactChunk> copy = new ArrayList<>(chunks);
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < copy.size(); i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, Artifacts.key(copy.get(i)), copy.get(i)));
            }
        });
        return new ArtifactReader(consumer, TOPIC, Duration.ofSeconds(30));
    }
}
