package io.rewardstream.scorer.release;

import io.rewardstream.artifacts.ArtifactReader;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.config.Connection;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SubjectNameStrategy;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.signing.ReleaseVerifier;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Runs a {@link ReleaseWatcher} on its own thread with its consumer and the producer of refusal alerts. Should the
 * thread end by an error, the process is reported dead: a scorer that no longer follows releases would serve an old
 * model for ever while looking healthy.
 */
public final class ReleaseFollower implements AutoCloseable {

    /** Longest the read of a trained encoder from the artifacts topic may take. */
    private static final Duration ARTIFACT_TIMEOUT = Duration.ofMinutes(5);

    private final ReleaseWatcher watcher;
    private final Thread thread;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final ArtifactReader artifacts;

    private ReleaseFollower(ReleaseWatcher watcher, KafkaProducer<String, SpecificRecord> producer,
                            ArtifactReader artifacts, Health health) {
        this.watcher = watcher;
        this.producer = producer;
        this.artifacts = artifacts;
        this.thread = new Thread(() -> {
            try {
                watcher.run();
            } catch (RuntimeException e) {
                health.dead("the release follower stopped after " + e);
            }
        }, "scorer-release-watcher");
        this.thread.setDaemon(true);
    }

    /**
     * @param models        opens each release's model (one pool of encoders for the whole instance)
     * @param applicationId the scorer's application id: its clients are named after it
     * @param modelName     serve releases of this model only; null for whichever model publishes
     * @param verifier      accept only releases signed with its key; null accepts unsigned releases
     * @param health        told when the follower's thread ends by an error
     */
    public static ReleaseFollower start(ModelLoader models, Connection connection, String applicationId,
                                        String modelName, ReleaseVerifier verifier, ModelHolder holder,
                                        SchemaRegistryClient client, Health health) {
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
        Map<String, Object> artifactProps = new HashMap<>(consumerProps);
        artifactProps.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-artifacts");
        AvroSerde<ArtifactChunk> chunks = AvroSerde.specific(ArtifactChunk.class, client, AvroSerdeConfig.defaults());
        ArtifactReader artifacts = new ArtifactReader(new KafkaConsumer<>(artifactProps, new StringDeserializer(),
                chunks.deserializer()), connection.topics().artifacts(), ARTIFACT_TIMEOUT);
        ReleaseLoader loader = new ReleaseLoader(models, artifacts, verifier);
        Map<String, Object> producerProps = new HashMap<>(common);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-alerts");
        AvroSerde<SpecificRecord> alerts = AvroSerde.specificByWriterName(client,
                AvroSerdeConfig.defaults().withValueStrategy(SubjectNameStrategy.TOPIC_RECORD_NAME));
        KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                alerts.serializer());
        ReleaseWatcher watcher = new ReleaseWatcher(consumer, connection.topics().models(), modelName, holder,
                loader::load, new ReleaseRefusals(producer, connection.topics().metrics(), applicationId));
        ReleaseFollower follower = new ReleaseFollower(watcher, producer, artifacts, health);
        follower.thread.start();
        return follower;
    }

    /** What the follower is doing now (following, waiting for the broker, ...), for readiness and the status page. */
    public String status() {
        return watcher.status();
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
        artifacts.close();
    }
}
