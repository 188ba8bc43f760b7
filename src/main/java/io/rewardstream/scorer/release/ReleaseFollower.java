package io.rewardstream.scorer.release;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.config.Connection;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SubjectNameStrategy;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Runs a {@link ReleaseWatcher} on its own thread with its consumer and the producer of refusal alerts. */
public final class ReleaseFollower implements AutoCloseable {

    private final ReleaseWatcher watcher;
    private final Thread thread;
    private final KafkaProducer<String, SpecificRecord> producer;

    private ReleaseFollower(ReleaseWatcher watcher, KafkaProducer<String, SpecificRecord> producer) {
        this.watcher = watcher;
        this.producer = producer;
        this.thread = new Thread(watcher, "scorer-release-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * @param applicationId the scorer's application id: its clients are named after it
     * @param modelName     serve releases of this model only; null for whichever model publishes
     */
    public static ReleaseFollower start(ReleaseLoader loader, Connection connection, String applicationId,
                                        String modelName, ModelHolder holder, SchemaRegistryClient client) {
        Map<String, Object> common = new HashMap<>(connection.kafka());
        common.remove("replication.factor");
        common.put("bootstrap.servers", connection.bootstrapServers());
        Map<String, Object> consumerProps = new HashMap<>(common);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-releases");
        AvroSerde<ModelRelease> releases = AvroSerde.specific(ModelRelease.class, client, AvroSerdeConfig.defaults());
        KafkaConsumer<String, ModelRelease> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                releases.deserializer());
        Map<String, Object> producerProps = new HashMap<>(common);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-alerts");
        AvroSerde<SpecificRecord> alerts = AvroSerde.specificByWriterName(client,
                AvroSerdeConfig.defaults().withValueStrategy(SubjectNameStrategy.TOPIC_RECORD_NAME));
        KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                alerts.serializer());
        ReleaseWatcher watcher = new ReleaseWatcher(consumer, connection.topics().models(), modelName, holder,
                loader::load, new ReleaseRefusals(producer, connection.topics().metrics(), applicationId));
        ReleaseFollower follower = new ReleaseFollower(watcher, producer);
        follower.thread.start();
        return follower;
    }

    @Override
    public void close() {
        watcher.close();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
