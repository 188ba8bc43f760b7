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
        ReleaseRejected alert = ReleaseRejected.newBuilder()
                .setModelName(release.getModelName())
                .setVersion(release.getVersion())
                .setStage(RejectionStage.SCORER_LOAD)
                .setReason(reason)
                .setInstanceId(instanceId)
                .setRejectedAt(Instant.now())
                .build();
        producer.send(new ProducerRecord<>(topic, release.getModelName(), alert), (metadata, error) -> {
            if (error != null) {
                LOG.warn("Could not publish the refusal of {} version {} to {}", release.getModelName(),
                        release.getVersion(), topic, error);
            }
        });
    }
}
