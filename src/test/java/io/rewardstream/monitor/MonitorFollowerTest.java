package io.rewardstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.AlertSeverity;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.release.Releases;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MonitorFollowerTest {

    private static final String METRICS = "rlhf.reward-metrics";
    private static final String MODELS = "rlhf.reward-models";

    private final SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
            "mock://monitor-" + UUID.randomUUID()));
    private final TrainerSerdes serdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());

    private static AccuracyReport prequential(double accuracy) {
        return AccuracyReport.newBuilder().setModelName("rm").setModelVersion(2).setKind(AccuracyKind.PREQUENTIAL)
                .setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH).setPairs(120).setCorrect(60)
                .setAccuracy(accuracy).setReportedAt(Instant.parse("2026-01-01T10:00:00Z")).build();
    }

    private MonitorFollower follower() {
        for (String topic : List.of(METRICS, MODELS)) {
            consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, Node.noNode(), null, null)));
            consumer.updateBeginningOffsets(Map.of(new TopicPartition(topic, 0), 0L));
        }
        return new MonitorFollower(consumer, Map.of(METRICS, serdes.metrics().deserializer(),
                MODELS, serdes.releases().deserializer()), true);
    }

    @Test
    void shouldHandOnEveryDecodableEventOfBothTopicsAndSkipAnUnreadableOne() {
        // Given
        MonitorFollower follower = follower();
        ModelRelease release = Releases.of(ModelFixtures.trained(FeatureLayout.SEPARATE), 2).setModelName("rm")
                .setStatus(ReleaseStatus.PROMOTED).build();
        DriftAlert alert = DriftAlert.newBuilder().setModelName("rm").setModelVersion(2).setDetector("page-hinkley")
                .setMetric("prequential_accuracy").setBaseline(0.9).setCurrent(0.3).setSeverity(AlertSeverity.CRITICAL)
                .setMessage("prequential accuracy of v2 fell from 0.900 to 0.300").setDetectedAt(Instant.EPOCH).build();
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(MODELS, 0, 0, null, serdes.releases().serializer()
                    .serialize(MODELS, release)));
            consumer.addRecord(new ConsumerRecord<>(METRICS, 0, 0, null, serdes.metrics().serializer()
                    .serialize(METRICS, prequential(0.5))));
            consumer.addRecord(new ConsumerRecord<>(METRICS, 0, 1, null, new byte[] {0, 0, 0, 0, 99, 1}));
            consumer.addRecord(new ConsumerRecord<>(METRICS, 0, 2, null, serdes.metrics().serializer()
                    .serialize(METRICS, alert)));
        });
        List<SpecificRecord> seen = new ArrayList<>();

        // When
        follower.run(seen::add, Duration.ofSeconds(2));

        // Then
        assertThat(seen).hasSize(3);
        MonitorSummary summary = new MonitorSummary();
        seen.forEach(summary::add);
        assertThat(summary.line()).contains("live model rm v2").contains("prequential accuracy 0.500 over 120 pairs")
                .contains("drift alerts 1").contains("versions seen v2").contains("fell from 0.900 to 0.300");
        assertThat(seen).extracting(MonitorLines::text).anySatisfy(line -> assertThat(line)
                .contains("rm v2 promoted: held-out accuracy"))
                .anySatisfy(line -> assertThat(line).contains("DRIFT (critical, page-hinkley)"));
    }

    @Test
    void shouldWriteEachEventAsOneFlatJsonObjectWithItsTypeAndTime() {
        JsonNode line = new ObjectMapper().valueToTree(MonitorLines.json(prequential(0.75)));

        assertThat(line.path("type").asText()).isEqualTo("AccuracyReport");
        assertThat(line.path("kind").asText()).isEqualTo("PREQUENTIAL");
        assertThat(line.path("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(line.path("time").asText()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void shouldRefuseATopicThatDoesNotExist() {
        consumer.updatePartitions(METRICS, List.of());
        Map<String, org.apache.kafka.common.serialization.Deserializer<? extends SpecificRecord>> topics =
                new HashMap<>();
        topics.put("no-such-topic", serdes.metrics().deserializer());
        assertThatThrownBy(() -> new MonitorFollower(consumer, topics, false))
                .hasMessageContaining("topic no-such-topic does not exist");
    }
}
