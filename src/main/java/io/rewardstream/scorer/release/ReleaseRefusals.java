package io.rewardstream.scorer.release;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.RejectionStage;
import io.rewardstream.avro.ReleaseRejected;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports a release the scorer refused to load as a {@link ReleaseRejected} alert on the metrics topic. */
final class ReleaseRefusals {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRefusals.class);

    private final Producer<String, SpecificRecord> producer;
    private final String topic;
    private final String instanceId;

    ReleaseRefusals(Producer<String, SpecificRecord> producer, String topic, String instanceId) {
        this.producer = producer;
        this.topic = topic;
        this.instanceId = instanceId;
    }

    void report(ModelRelease release, String reason) {
        report(release.getModelName(), release.getVersion(), reason);
    }

    /**
     * A record on the models topic that is not a release at all (bytes the serde cannot decode): its model and
     * version are unknown, so the alert carries the record's key (or the model followed) and version -1.
     */
    void reportUndecodable(String key, String reason) {
        report(key == null || key.isBlank() ? "unknown" : key, -1, reason);
    }

    private void report(String modelName, long version, String reason) {
        ReleaseRejected alert = ReleaseRejected.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setStage(RejectionStage.SCORER_LOAD)
                .setReason(reason)
                .setInstanceId(instanceId)
                .setRejectedAt(Instant.now())
                .build();
        producer.send(new ProducerRecord<>(topic, modelName, alert), (metadata, error) -> {
            if (error != null) {
                LOG.warn("Could not publish the refusal of {} version {} to {}", modelName, version, topic, error);
            }
        });
    }
}
