package io.rewardstream.scorer.stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.streams.StreamsProperties;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver over the scoring topology, with its own registry scope, holder and state directory. */
final class ScoringDriver implements AutoCloseable {

    static final Topics TOPICS = Topics.defaults();

    final String scope = "scoring-" + UUID.randomUUID();
    final ModelHolder holder = new ModelHolder();
    final ScoringMetrics metrics = new ScoringMetrics(new SimpleMeterRegistry(), holder);
    final ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://" + scope).metered(metrics.registry(), TOPICS);
    private final ScorerSettings settings;
    private final Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<String, RolloutResponse> responses;
    TestInputTopic<String, byte[]> rawResponses;
    TestOutputTopic<String, ScoredResponse> rewards;
    TestOutputTopic<String, DeadLetter> deadLetters;

    private final Map<String, Object> kafka;

    ScoringDriver(ScorerSettings settings, Path stateDir) {
        this(settings, stateDir, Map.of());
    }

    /** @param kafka Streams settings over the role's (at-least-once, so that the driver shows handler output) */
    ScoringDriver(ScorerSettings settings, Path stateDir, Map<String, Object> kafka) {
        this.settings = settings;
        this.stateDir = stateDir;
        this.kafka = kafka;
        open();
    }

    private void open() {
        var target = new DeadLetterHandler.Target(TOPICS.deadLetters(), serdes.deadLetters().serializer(),
                settings.applicationId(), () -> { });
        Connection connection = new Connection("dummy:9092", "mock://unused", TOPICS, stateDir, kafka, Map.of());
        var props = StreamsProperties.of(connection, settings.applicationId(), target,
                ScorerStreamsConfig.roleSettings(settings.linger()));
        BatchScorer scorer = new BatchScorer(holder, metrics);
        driver = new TopologyTestDriver(ScoringTopology.build(settings.batching(), TOPICS, serdes, scorer), props,
                Instant.parse("2026-01-01T00:00:00Z"));
        responses = driver.createInputTopic(TOPICS.responses(), new StringSerializer(),
                serdes.responses().serializer());
        rawResponses = driver.createInputTopic(TOPICS.responses(), new StringSerializer(), new ByteArraySerializer());
        rewards = driver.createOutputTopic(TOPICS.rewards(), new StringDeserializer(), serdes.rewards().deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(),
                serdes.deadLetters().deserializer());
    }

    static RolloutResponse response(String id, String prompt, String response) {
        return RolloutResponse.newBuilder().setResponseId(id).setPrompt(prompt).setResponse(response)
                .setCreatedAt(Instant.parse("2026-01-01T00:00:00Z")).setMetadata(Map.of("run", "t")).build();
    }

    void send(String id, String prompt, String response) {
        responses.pipeInput(id, response(id, prompt, response));
    }

    @Override
    public void close() {
        driver.close();
        holder.close();
        MockRegistryScopes.drop(scope);
    }
}
