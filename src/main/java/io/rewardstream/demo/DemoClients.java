package io.rewardstream.demo;

import io.rewardstream.embedded.EmbeddedKafka;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients of the demo's own parts (annotator, rollout worker, observer) on the embedded broker. */
final class DemoClients {

    private DemoClients() {
    }

    /** A consumer of raw bytes that reads committed data only, as a monitoring consumer would. */
    static KafkaConsumer<byte[], byte[]> observer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "demo-observer",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A producer with acks=all and a short linger, as an annotation system or rollout worker would use. */
    static <V> KafkaProducer<String, V> producer(EmbeddedKafka kafka, Serializer<V> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), values);
    }
}
