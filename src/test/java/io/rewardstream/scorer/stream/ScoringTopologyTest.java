package io.rewardstream.scorer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.model.RewardModel;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ScoringModel;
import io.rewardstream.streams.WaitingKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoringTopologyTest {

    private static final ScorerSettings SETTINGS = ScorerSettings.defaults().withBatchSize(4)
            .withLinger(Duration.ofMillis(1000));

    @TempDir
    Path stateDir;

    private ScoringDriver scoring;

    @AfterEach
    void close() {
        if (scoring != null) {
            scoring.close();
        }
    }

    private ScoringDriver start(ScorerSettings settings) {
        scoring = new ScoringDriver(settings, stateDir);
        return scoring;
    }

    @Test
    void shouldHoldResponsesUntilTheBatchIsFullThenScoreThemTogether() {
        // Given
        ScoringDriver s = start(SETTINGS);
        FakeModel model = new FakeModel(7);
        s.holder.install(model);

        // When
        for (int i = 0; i < 3; i++) {
            s.send("r" + i, "prompt " + i, "answer " + "x".repeat(i));
        }

        // Then
        assertThat(s.rewards.isEmpty()).isTrue();

        // When
        s.send("r3", "prompt 3", "answer xxx");

        // Then
        List<ScoredResponse> out = s.rewards.readValuesToList();
        assertThat(out).extracting(ScoredResponse::getResponseId).containsExactly("r0", "r1", "r2", "r3");
        assertThat(model.batchSizes()).containsExactly(4);
        assertThat(out.get(2).getReward()).isEqualTo(FakeModel.rewardOf("answer xx", 7));
        assertThat(out.get(2).getRewardNormalized()).isEqualTo(FakeModel.rewardOf("answer xx", 7) / 10);
        assertThat(out.get(0).getMetadata()).containsEntry("run", "t");
    }

    @Test
    void shouldScoreBatchesOnTheModelLaneAndForwardThemAtALaterPunctuationWhenBatchesMayBeInFlight() {
        // Given a scorer that scores off the stream thread
        ScoringDriver s = start(SETTINGS.withBatchesInFlight(2));
        FakeModel model = new FakeModel(7);
        Set<String> scoredOn = ConcurrentHashMap.newKeySet();
        model.during(() -> scoredOn.add(Thread.currentThread().getName()));
        s.holder.install(model);

        // When a batch fills
        for (int i = 0; i < 4; i++) {
            s.send("r" + i, "p", "answer " + i);
        }

        // Then its rewards arrive once the stream thread's punctuations find it finished
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            s.driver.advanceWallClockTime(Duration.ofMillis(250));
            return !s.rewards.isEmpty();
        });
        assertThat(s.rewards.readValuesToList()).extracting(ScoredResponse::getResponseId)
                .containsExactly("r0", "r1", "r2", "r3");
        assertThat(scoredOn).singleElement().asString().endsWith("-model")
                .isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void shouldScoreAPartialBatchOnceItsOldestResponseHasWaitedTheLingerTimeOnTheWallClock() {
        // Given
        ScoringDriver s = start(SETTINGS);
        FakeModel model = new FakeModel(1);
        s.holder.install(model);
        s.send("a", "p", "one");
        s.send("b", "p", "two");

        // When
        s.driver.advanceWallClockTime(Duration.ofMillis(999));

        // Then
        assertThat(s.rewards.isEmpty()).isTrue();

        // When
        s.driver.advanceWallClockTime(Duration.ofMillis(1));

        // Then
        assertThat(s.rewards.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("a", "b");
        assertThat(model.batchSizes()).containsExactly(2);
    }

    @Test
    void shouldStampEachRewardWithTheVersionThatScoredItsBatch() {
        // Given
        ScoringDriver s = start(SETTINGS);
        FakeModel first = new FakeModel(1);
        s.holder.install(first);
        for (int i = 0; i < 4; i++) {
            s.send("v1-" + i, "p", "r" + i);
        }

        // When
        s.holder.install(new FakeModel(2));
        for (int i = 0; i < 4; i++) {
            s.send("v2-" + i, "p", "r" + i);
        }

        // Then
        List<ScoredResponse> out = s.rewards.readValuesToList();
        assertThat(out).hasSize(8);
        assertThat(out.subList(0, 4)).allSatisfy(r -> {
            assertThat(r.getModelVersion()).isEqualTo(1L);
            assertThat(r.getModelName()).isEqualTo(FakeModel.NAME);
        });
        assertThat(out.subList(4, 8)).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo(2L));
        assertThat(out.get(5).getReward()).isEqualTo(FakeModel.rewardOf("r1", 2));
        assertThat(first.closed()).isTrue();
    }

    @Test
    void shouldSendEmptyResponsesToDeadLettersWithTheReasonAndGoOn() {
        // Given
        ScoringDriver s = start(SETTINGS.withBatchSize(1));
        s.holder.install(new FakeModel(1));

        // When
        s.send("no-prompt", " ", "fine");
        s.send("no-response", "fine", "");
        s.send("good", "p", "r");

        // Then
        List<DeadLetter> dead = s.deadLetters.readValuesToList();
        assertThat(dead).extracting(DeadLetter::getErrorMessage).containsExactly("prompt is empty", "response is empty");
        assertThat(dead.get(0).getStage()).isEqualTo("validate");
        assertThat(dead.get(0).getSourceTopic()).isEqualTo("rlhf.responses");
        assertThat(dead.get(1).getOffset()).isEqualTo(1L);
        assertThat(StandardCharsets.UTF_8.decode(dead.get(0).getKey()).toString()).isEqualTo("no-prompt");
        assertThat(s.rewards.readValuesToList()).extracting(ScoredResponse::getResponseId).containsExactly("good");
    }

    @Test
    void shouldHandUndecodableBytesToTheDeadLetterHandlerAndGoOn() {
        // Given
        ScoringDriver s = start(SETTINGS.withBatchSize(1));
        s.holder.install(new FakeModel(1));
        // When
        s.rawResponses.pipeInput("bad", new byte[] {0, 0, 0, 0, 42, 1, 2, 3});
        s.send("good", "p", "r");

        // Then (TopologyTestDriver does not capture the records a deserialization handler returns; the handler's
        // own output is checked in DeadLetterHandlerTest and on a real broker in ScorerRoleIT)
        assertThat(s.metrics.registry().get("rewardstream.dead.letters").tag("stage", "deserialize").counter().count())
                .isEqualTo(1.0);
        assertThat(s.rewards.readValuesToList()).extracting(ScoredResponse::getResponseId).containsExactly("good");
    }

    /**
     * Waiting responses are recoverable because every one of them is in the store's changelog until its reward
     * is written (with exactly-once v2, in the same transaction as the tombstone). TopologyTestDriver wipes its
     * state directory on close and cannot restore from a changelog, so the crash itself is covered by the KRaft
     * integration test; here the changelog traffic is checked. The driver commits after every input record, so a
     * response that fills a batch is added and removed within one commit: the store's cache then logs only its
     * tombstone, not a copy of the response.
     */
    @Test
    void shouldLogWaitingResponsesToTheChangelogUntilTheirRewardsAreWritten() {
        // Given
        ScoringDriver s = start(SETTINGS);
        s.holder.install(new FakeModel(3));
        TestOutputTopic<byte[], byte[]> changelog = s.driver.createOutputTopic(
                SETTINGS.applicationId() + "-" + ScoringTopology.WAITING_STORE + "-changelog",
                new ByteArrayDeserializer(), new ByteArrayDeserializer());

        // When
        for (int i = 0; i < 3; i++) {
            s.send("w" + i, "p", "r" + i);
        }

        // Then
        List<KeyValue<byte[], byte[]>> waiting = changelog.readKeyValuesToList();
        assertThat(waiting).hasSize(3).allSatisfy(kv -> assertThat(kv.value).isNotNull());
        assertThat(waiting).extracting(kv -> WaitingKey.recordKey(Bytes.wrap(kv.key))).containsExactly("w0", "w1", "w2");
        assertThat(s.rewards.isEmpty()).isTrue();

        // When
        s.send("w3", "p", "r3");

        // Then
        List<KeyValue<byte[], byte[]>> after = changelog.readKeyValuesToList();
        assertThat(after).as("w3 arrived and was scored before the commit: the store's cache logs no copy of it")
                .hasSize(4).allSatisfy(kv -> assertThat(kv.value).isNull());
        assertThat(s.rewards.readValuesToList()).extracting(ScoredResponse::getResponseId)
                .containsExactly("w0", "w1", "w2", "w3");
    }

    @Test
    void shouldLetResponsesWaitWhileNoModelIsLoadedAndScoreThemOnceOneIs() {
        // Given
        ScoringDriver s = start(SETTINGS);
        s.send("early", "p", "r");
        s.driver.advanceWallClockTime(Duration.ofMillis(2000));
        assertThat(s.rewards.isEmpty()).isTrue();

        // When
        s.holder.install(new FakeModel(5));
        s.driver.advanceWallClockTime(Duration.ofMillis(250));

        // Then
        assertThat(s.rewards.readValuesToList()).singleElement()
                .satisfies(r -> assertThat(r.getModelVersion()).isEqualTo(5L));
    }

    @Test
    void shouldScoreAnOverlongResponseWithTheRealModelAndFlagItTruncatedRatherThanDropIt() {
        // Given
        ScoringDriver s = start(SETTINGS.withBatchSize(2));
        s.holder.install(ScoringModel.of(RewardModel.load(ModelFixtures.trained(FeatureLayout.SEPARATE), 1)));

        // When
        s.send("short", "How do I boil an egg?", "Eight minutes in boiling water.");
        s.send("long", "How do I boil an egg?", "Boil it. ".repeat(2_000));

        // Then
        List<ScoredResponse> out = s.rewards.readValuesToList();
        assertThat(out).extracting(ScoredResponse::getResponseId).containsExactly("short", "long");
        assertThat(out.get(0).getTruncated()).isFalse();
        assertThat(out.get(1).getTruncated()).isTrue();
        assertThat(out).allSatisfy(r -> assertThat(r.getReward()).isFinite());
        assertThat(s.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldNameEveryNodeAndStoreOfTheTopology() {
        // Given
        ScoringDriver s = start(SETTINGS);

        // When
        TopologyDescription description = ScoringTopology.build(SETTINGS.batching(), ScoringDriver.TOPICS, s.serdes,
                new BatchScorer(s.holder, s.metrics)).describe();

        // Then
        List<String> names = description.subtopologies().stream().flatMap(t -> t.nodes().stream())
                .map(TopologyDescription.Node::name).toList();
        assertThat(names).contains(ScoringTopology.SOURCE, ScoringTopology.BATCHER, ScoringTopology.REWARDS_SINK,
                ScoringTopology.DEAD_LETTERS_SINK).allSatisfy(n -> assertThat(n).doesNotContain("KSTREAM"));
        assertThat(description.toString()).contains(ScoringTopology.WAITING_STORE);
    }
}
