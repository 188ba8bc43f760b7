package io.rewardstream.scorer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReleaseWatcherTest {

    private static final String TOPIC = "rlhf.reward-models";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final MockConsumer<String, ModelRelease> consumer = new MockConsumer<>("earliest");
    private final MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null,
            new StringSerializer(), (topic, value) -> new byte[0]);
    private final ModelHolder holder = new ModelHolder();
    private final List<Long> loaded = new CopyOnWriteArrayList<>();
    private ReleaseWatcher watcher;
    private Thread thread;

    private void start(List<ModelRelease> published) {
        publish(published);
        startWatcher();
    }

    /** Makes the topic exist with {@code published} on it. */
    private void publish(List<ModelRelease> published) {
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0],
                new Node[0])));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.updateEndOffsets(Map.of(PARTITION, (long) published.size()));
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < published.size(); i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, published.get(i).getModelName(),
                        published.get(i)));
            }
        });
    }

    private void startWatcher() {
        watcher = new ReleaseWatcher(consumer, TOPIC, "rm", holder, release -> {
            if (release.getHeadSha256().equals("bad")) {
                throw new IllegalArgumentException("head_onnx has sha256 x but the release says bad");
            }
            loaded.add(release.getVersion());
            return new FakeModel(release.getVersion());
        }, new ReleaseRefusals(producer, "rlhf.reward-metrics", "scorer-test"));
        thread = new Thread(watcher, "test-release-watcher");
        thread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        watcher.close();
        thread.join(10_000);
    }

    private static ModelRelease release(String name, long version, ReleaseStatus status) {
        return Releases.of(ModelFixtures.trained(FeatureLayout.SEPARATE), version).setModelName(name)
                .setStatus(status).build();
    }

    @Test
    void shouldLoadOnlyTheNewestPromotedReleaseOfItsModelAfterReadingTheBacklog() {
        // Given
        List<ModelRelease> backlog = new ArrayList<>();
        backlog.add(release("rm", 1, ReleaseStatus.PROMOTED));
        backlog.add(release("rm", 2, ReleaseStatus.PROMOTED));
        backlog.add(release("rm", 3, ReleaseStatus.REJECTED));
        backlog.add(release("other", 9, ReleaseStatus.PROMOTED));

        // When
        start(backlog);

        // Then
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.current().isPresent());
        assertThat(loaded).containsExactly(2L);
        assertThat(holder.current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(2L));
    }

    @Test
    void shouldRefuseABadReleaseWithAnAlertAndKeepServing() {
        // Given
        ModelRelease good = release("rm", 4, ReleaseStatus.PROMOTED);
        ModelRelease bad = release("rm", 5, ReleaseStatus.PROMOTED);
        bad.setHeadSha256("bad");
        start(List.of(good));
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.current().isPresent());

        // When
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "rm", bad)));

        // Then
        await().atMost(Duration.ofSeconds(10)).until(() -> !producer.history().isEmpty());
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("rm");
            assertThat(r.value().toString()).contains("SCORER_LOAD").contains("\"version\": 5")
                    .contains("head_onnx has sha256");
        });
        assertThat(holder.current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(4L));
    }

    @Test
    void shouldWaitForTheTopicToExistSayingSoThenFollowIt() {
        // Given a topic that does not exist yet
        startWatcher();
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.status().contains("does not exist"));
        assertThat(watcher.status()).contains(TOPIC).contains("retrying in");

        // When it is created with a release on it
        publish(List.of(release("rm", 7, ReleaseStatus.PROMOTED)));

        // Then
        await().atMost(Duration.ofSeconds(30)).until(() -> holder.current().isPresent());
        assertThat(holder.current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(7L));
        assertThat(watcher.status()).isEqualTo("following " + TOPIC);
    }

    @Test
    void shouldKeepServingWhileTheTopicCannotBeReadThenTakeTheNextRelease() {
        // Given version 1 in service
        start(List.of(release("rm", 1, ReleaseStatus.PROMOTED)));
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.current().isPresent());

        // When reading fails (the broker went away)
        consumer.setPollException(new KafkaException("the broker went away"));

        // Then the watcher says so and version 1 keeps serving
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.status().contains("the broker went away"));
        assertThat(holder.current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(1L));

        // When the topic can be read again and has a newer release
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "rm",
                release("rm", 2, ReleaseStatus.PROMOTED))));

        // Then
        await().atMost(Duration.ofSeconds(30)).until(() -> holder.current().map(m -> m.version() == 2L)
                .orElse(false));
        assertThat(loaded).containsExactly(1L, 2L);
    }

    @Test
    void shouldReportARecordThatIsNotAReleaseSkipItAndKeepFollowing() {
        // Given a scorer serving version 4
        start(List.of(release("rm", 4, ReleaseStatus.PROMOTED)));
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.current().isPresent());

        // When the next record on the models topic cannot be decoded, and a good release follows it
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, PARTITION, 1, 0,
                TimestampType.CREATE_TIME, ByteBuffer.wrap("rm".getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(new byte[] {7, 7, 7}), new RecordHeaders(), "Error deserializing VALUE",
                new IllegalArgumentException("unknown magic byte 7")));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 2, "rm",
                release("rm", 6, ReleaseStatus.PROMOTED))));

        // Then it is reported as a refusal with where it was and why, and the follower goes on to version 6
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.current().map(m -> m.version() == 6L).orElse(false));
        assertThat(producer.history()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("rm");
            assertThat(r.value().toString()).contains("SCORER_LOAD").contains("\"version\": -1")
                    .contains("rlhf.reward-models-0@1 is not a readable release").contains("unknown magic byte 7");
        });
        assertThat(thread.isAlive()).isTrue();
    }

    @Test
    void shouldReadAReleaseAgainRatherThanSkipItWhenTheRegistryIsOutOfReach() {
        // Given a scorer serving version 4
        start(List.of(release("rm", 4, ReleaseStatus.PROMOTED)));
        await().atMost(Duration.ofSeconds(10)).until(() -> holder.current().isPresent());

        // When the next release cannot be decoded because the registry does not answer, then can be
        consumer.setPollException(new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, PARTITION, 1, 0,
                TimestampType.CREATE_TIME, null, ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 9}), new RecordHeaders(),
                "Error deserializing VALUE", new RegistryUnavailableException("Schema registry [x] failed GET", null)));
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "rm",
                release("rm", 5, ReleaseStatus.PROMOTED))));

        // Then it is served once read, and nothing was reported as refused
        await().atMost(Duration.ofSeconds(15)).until(() -> holder.current().map(m -> m.version() == 5L).orElse(false));
        assertThat(producer.history()).isEmpty();
    }
}
