package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.registry.RealRegistry;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.testkit.HostileFrames;
import io.rewardstream.testkit.KraftClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile records that need a real broker: a record above the broker's size limit is refused to its producer
 * with a reason and the scorer never sees it; a 10 MB text on a topic that allows such records reaches the scorer and
 * leaves as a dead letter that carries only its first 256 KiB, committed under exactly-once, while scoring goes on.
 */
class HostileInputIT {

    private static final Topics TOPICS = new Topics("hostile.preferences", "hostile.responses", "hostile.rewards",
            "hostile.reward-models", "hostile.reward-metrics", "hostile.dead-letters", "hostile.artifacts");

    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();

    @TempDir
    Path temp;

    @Test
    void shouldRefuseOversizedRecordsAtTheBrokerAndDeadLetterHugeTextsWhileScoringGoesOn() throws Exception {
        // Given topics whose responses topic takes records up to 16 MiB (the broker's default stays at 1 MB
        // elsewhere), and a scorer on them
        try (var admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPICS.responses(), 1, (short) 1).configs(Map.of(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(16 << 20))),
                    new NewTopic(TOPICS.rewards(), 1, (short) 1), new NewTopic(TOPICS.deadLetters(), 1, (short) 1),
                    new NewTopic(TOPICS.metrics(), 1, (short) 1))).all().get();
        }
        String registryUrl = RealRegistry.url();
        ScoringSerdes serdes = ScoringSerdes.forRegistry(registryUrl);
        Connection connection = new Connection(cluster.bootstrapServers(), registryUrl, TOPICS,
                temp.resolve("state"), Map.of("replication.factor", 1), Map.of());
        ScorerSettings settings = ScorerSettings.defaults().withApplicationId("hostile-" + UUID.randomUUID())
                .withLinger(Duration.ofMillis(50)).withHttp("127.0.0.1", 0, 1 << 20);
        Map<String, Object> producerProps = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20, ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20));
        char[] tenMegabytes = new char[10 << 20];
        Arrays.fill(tenMegabytes, 'w');
        try (ScorerRole scorer = ScorerRole.start(settings, connection,
                new ModelSource.Directory(ModelFixtures.trained(FeatureLayout.SEPARATE)));
             KafkaProducer<String, RolloutResponse> responses = new KafkaProducer<>(producerProps,
                     new StringSerializer(), serdes.responses().serializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(producerProps, new StringSerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<String, ScoredResponse> rewards = cluster.committedConsumer(
                     serdes.rewards().deserializer(), TOPICS.rewards());
             KafkaConsumer<String, DeadLetter> deadLetters = cluster.committedConsumer(
                     serdes.deadLetters().deserializer(), TOPICS.deadLetters())) {

            // When a record above the topic's limit is sent, then a 10 MB text within it, garbage, and a good one
            byte[] twentyMegabytes = new byte[20 << 20];
            assertThatThrownBy(() -> raw.send(new ProducerRecord<>(TOPICS.responses(), "too-large", twentyMegabytes))
                    .get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
            responses.send(new ProducerRecord<>(TOPICS.responses(), "huge", response("huge",
                    new String(tenMegabytes)))).get();
            raw.send(new ProducerRecord<>(TOPICS.responses(), "garbage", HostileFrames.garbage())).get();
            responses.send(new ProducerRecord<>(TOPICS.responses(), "good", response("good", "A fine answer.")))
                    .get();

            // Then the good one is scored, and the other two are committed dead letters with their reasons
            Map<String, ScoredResponse> scored = new HashMap<>();
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                rewards.poll(Duration.ofMillis(200)).forEach(r -> scored.put(r.key(), r.value()));
                return scored.containsKey("good");
            });
            Map<String, DeadLetter> dead = new HashMap<>();
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(r -> dead.put(r.key(), r.value()));
                return dead.size() >= 2;
            });
            assertThat(scored).containsOnlyKeys("good");
            assertThat(dead).containsOnlyKeys("huge", "garbage");
            assertThat(dead.get("huge").getErrorMessage())
                    .isEqualTo("response has 10,485,760 characters; the limit is 100,000 (input.max-text-chars)");
            assertThat(dead.get("huge").getValue().remaining()).isEqualTo(DeadLetters.MAX_RAW_BYTES);
            assertThat(dead.get("huge").getValueSize()).isGreaterThan(10L << 20);
            assertThat(dead.get("garbage").getStage()).isEqualTo(DeadLetters.DESERIALIZE);
            assertThat(scorer.health().deadReason()).isEmpty();
        }
    }

    private static RolloutResponse response(String id, String text) {
        return RolloutResponse.newBuilder().setResponseId(id).setPrompt("Say something.").setResponse(text)
                .setCreatedAt(Instant.now()).build();
    }
}
