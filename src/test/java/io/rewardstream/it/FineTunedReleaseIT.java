package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.config.Topics;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.learning.finetune.TinyPairs;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.onnx.TinyBerts;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.serving.ModelLease;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.testkit.KraftClusterExtension;
import io.rewardstream.trainer.TrainerRole;
import io.rewardstream.trainer.stream.TrainerFixtures;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's slow path against a real in-process broker, with a tiny BERT as the encoder: a fine-tune is
 * promoted and published with its encoder as chunks on the artifacts topic; a scorer that follows releases reads
 * the encoder back from there and serves it; a trainer restarted on an empty state directory reopens the live
 * fine-tuned model from the artifacts topic and goes on scoring new pairs with it.
 */
class FineTunedReleaseIT {

    private static final Topics TOPICS = Topics.defaults();
    @RegisterExtension
    static final KraftClusterExtension cluster = new KraftClusterExtension();

    @TempDir
    Path temp;

    private RewardStreamConfig config(String registry, Path encoder, String stateDir) {
        Map<String, String> o = new HashMap<>();
        o.put("kafka.bootstrap.servers", cluster.bootstrapServers());
        o.put("kafka.replication.factor", "1");
        o.put("kafka.commit.interval.ms", "200");
        o.put("schema.registry.url", registry);
        o.put("state.dir", stateDir);
        o.put("encoder.name", encoder.toString());
        o.put("encoder.max-length", Integer.toString(TinyPairs.MAX_LENGTH));
        o.put("encoder.threads", "1");
        o.put("training.interval", "1h");
        o.put("training.min-pairs", "100");
        o.put("training.min-new-pairs", "100000");
        o.put("training.encoder-training", "full");
        o.put("training.fine-tune-interval", "3s");
        // The plumbing is under test, not the tiny model's quality: every candidate passes the gate.
        o.put("gate.min-accuracy", "0");
        o.put("gate.tolerance", "1");
        o.put("prequential.window", "2s");
        o.put("prequential.advance", "1s");
        o.put("http.port", "0");
        return ConfigLoader.load(null, Map.of(), o);
    }

    @Test
    void shouldPublishAFineTunedEncoderThatTheScorerServesAndARestartedTrainerReopens() throws Exception {
        // Given
        Path encoder = Files.createDirectories(temp.resolve("tiny-bert"));
        Files.write(encoder.resolve("model.onnx"), TinyBerts.orderBlindEncoder(5));
        Files.write(encoder.resolve("tokenizer.json"), TinyPairs.tokenizerJson());
        String registry = "mock://it-fine-tune-" + UUID.randomUUID();
        TrainerSerdes serdes = TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
                registry)), AvroSerdeConfig.defaults());
        RewardStreamConfig config = config(registry, encoder, temp.resolve("a").toString());
        List<PreferencePair> pairs = TinyPairs.orderRule(3, 400);
        List<ModelRelease> releases = new ArrayList<>();
        TrainerRole trainer = TrainerRole.create(config, true);
        trainer.start();
        try (KafkaProducer<String, PreferenceEvent> producer = producer(serdes);
             KafkaConsumer<String, ModelRelease> releaseConsumer = cluster.committedConsumer(
                     serdes.releases().deserializer(), TOPICS.models());
             ScorerRole scorer = ScorerRole.start(ScorerConfig.settings(config, 0), ScorerConfig.connection(config),
                     new ModelSource.Releases("reward-model"), true, 1)) {

            // When: enough pairs for the head-only first model, then for the fine-tune punctuator
            send(producer, pairs.subList(0, 300), "a");
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250))
                    .until(() -> poll(releaseConsumer, releases) && releases.stream().anyMatch(this::fineTuned));

            // Then: the release names its encoder on the artifacts topic, and the scorer serves it
            ModelRelease tuned = releases.stream().filter(this::fineTuned).findFirst().orElseThrow();
            assertThat(tuned.getStatus()).isEqualTo(ReleaseStatus.PROMOTED);
            assertThat(tuned.getEncoderIdentity().getFeatureSpec()).isEqualTo("joint");
            assertThat(tuned.getEncoderIdentity().getOnnxArtifact().getSha256())
                    .isEqualTo(tuned.getEncoderIdentity().getOnnxSha256());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() ->
                    scorer.holder().current().map(m -> m.version() >= tuned.getVersion()).orElse(false));
            try (ModelLease lease = scorer.holder().lease().orElseThrow()) {
                List<RewardModel.Score> scores = lease.model().score(List.of(new PromptResponse(pairs.get(0).prompt(),
                        pairs.get(0).chosen()), new PromptResponse(pairs.get(0).prompt(), pairs.get(0).rejected())));
                assertThat(scores).allSatisfy(s -> assertThat(s.reward()).isFinite());
            }

            // And: a trainer on an empty state directory restores the store and reopens the fine-tuned live model
            trainer.close();
            RewardStreamConfig restarted = config(registry, encoder, temp.resolve("b").toString());
            trainer = TrainerRole.create(restarted, false);
            trainer.start();
            List<SpecificRecord> metrics = new ArrayList<>();
            try (KafkaConsumer<String, SpecificRecord> metricsConsumer = cluster.committedConsumer(
                    serdes.metrics().deserializer(), TOPICS.metrics())) {
                long since = System.currentTimeMillis();
                send(producer, pairs.subList(300, 400), "b");
                long live = releases.stream().filter(r -> r.getStatus() == ReleaseStatus.PROMOTED)
                        .mapToLong(ModelRelease::getVersion).max().orElseThrow();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    poll(metricsConsumer, metrics);
                    assertThat(metrics).filteredOn(AccuracyReport.class::isInstance).map(AccuracyReport.class::cast)
                            .anyMatch(r -> r.getKind() == AccuracyKind.PREQUENTIAL && r.getModelVersion() >= live
                                    && r.getReportedAt().toEpochMilli() >= since);
                });
            }
        } finally {
            trainer.close();
        }
    }

    private boolean fineTuned(ModelRelease release) {
        return release.getEncoderIdentity().getOnnxArtifact() != null;
    }

    private static KafkaProducer<String, PreferenceEvent> producer(TrainerSerdes serdes) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), serdes.preferences().serializer());
    }

    /** The pairs as events 100 ms apart in event time from now on, so that prequential windows close. */
    private static void send(KafkaProducer<String, PreferenceEvent> producer, List<PreferencePair> pairs,
                             String prefix) {
        long start = System.currentTimeMillis();
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair p = pairs.get(i);
            long time = start + 100L * i;
            PreferenceEvent event = TrainerFixtures.event(prefix + "-" + i, p.prompt(), List.of(p.chosen(),
                    p.rejected()), List.of(0, 1), null);
            event.setEventTime(Instant.ofEpochMilli(time));
            producer.send(new ProducerRecord<>(TOPICS.preferences(), null, time, event.getEventId(), event));
        }
        producer.flush();
    }

    private static <V> boolean poll(KafkaConsumer<String, V> consumer, List<V> into) {
        for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(100))) {
            into.add(record.value());
        }
        return true;
    }
}
