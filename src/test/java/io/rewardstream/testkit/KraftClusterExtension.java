package io.rewardstream.testkit;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KraftCluster} per test class: register it as a static field,
 * {@code @RegisterExtension static final KraftClusterExtension cluster = new KraftClusterExtension();}, and it is
 * started before the class's {@code @BeforeAll} methods and closed after its tests.
 */
public final class KraftClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private KraftCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = KraftCluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    private KraftCluster running() {
        if (cluster == null) {
            throw new IllegalStateException("the cluster runs only while the test class runs");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    public Admin admin() {
        return running().admin();
    }

    /** Creates topics with one replica and the given partition counts. */
    public void createTopics(Map<String, Integer> partitionsByTopic) throws Exception {
        running().createTopics(partitionsByTopic);
    }

    /**
     * A consumer of {@code topic} from its start, in a group of its own, that sees committed records only (what
     * an exactly-once producer has finished), with string keys.
     */
    public <T> KafkaConsumer<String, T> committedConsumer(Deserializer<T> values, String topic) {
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
