package io.rewardstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.artifacts.Artifacts;
import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.data.Split;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.onnx.TinyEncoders;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.trainer.retrain.EncoderFineTuner;
import io.rewardstream.trainer.retrain.FineTuneJob;
import io.rewardstream.trainer.retrain.LiveRelease;
import io.rewardstream.trainer.retrain.RetrainSetup;
import io.rewardstream.trainer.retrain.TrainingPair;
import io.rewardstream.trainer.stream.EncodeBatchProcessor;
import io.rewardstream.trainer.stream.StoreNames;
import io.rewardstream.trainer.stream.TrainerFixtures;
import io.rewardstream.trainer.stream.TrainerNodes;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole trainer topology in a TopologyTestDriver, with the tiny encoder and training on the test thread. */
class TrainerTopologyTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path temp;

    private TextEncoder encoder;
    private TrainerSerdes serdes;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PreferenceEvent> preferences;
    private TestOutputTopic<String, ModelRelease> releases;
    private TestOutputTopic<String, SpecificRecord> metrics;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestOutputTopic<String, ArtifactChunk> artifacts;

    @BeforeEach
    void setUp() throws Exception {
        encoder = TrainerFixtures.tinyEncoder(temp);
        serdes = TrainerFixtures.serdes();
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.close();
        }
        encoder.close();
    }

    private static TrainerSettings settings(int minPairs, int minNewPairs, double floor) {
        TrainerSettings d = TrainerSettings.defaults();
        return d.toBuilder().retrain(Duration.ofMinutes(5), minPairs, minNewPairs).gate(d.gateTolerance(), floor)
                .prequential(Duration.ofSeconds(10), Duration.ofSeconds(5))
                // Each event is encoded as it arrives, so the tests below see its pairs at once; the batching
                // itself is tested on its own further down.
                .encoding(1, Duration.ofMillis(100)).build();
    }

    private void start(TrainerSettings settings) {
        start(settings, TrainerFixtures.model(encoder));
    }

    private void start(TrainerSettings settings, RetrainSetup setup) {
        Properties props = properties();
        driver = new TopologyTestDriver(TrainerTopology.build(props, TOPICS, settings, serdes, setup, Runnable::run,
                Runnable::run), props, T0);
        artifacts = driver.createOutputTopic(TOPICS.artifacts(), new StringDeserializer(),
                serdes.artifacts().deserializer());
        preferences = driver.createInputTopic(TOPICS.preferences(), new StringSerializer(),
                serdes.preferences().serializer());
        releases = driver.createOutputTopic(TOPICS.models(), new StringDeserializer(), serdes.releases().deserializer());
        metrics = driver.createOutputTopic(TOPICS.metrics(), new StringDeserializer(), serdes.metrics().deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(),
                serdes.deadLetters().deserializer());
    }

    private Properties properties() {
        // At-least-once: under exactly-once TopologyTestDriver does not capture the records a deserialization
        // handler returns, which shouldSendUndecodableBytesToTheDeadLettersAndGoOn reads.
        Connection connection = new Connection("unused:9092", "mock://unused", TOPICS, temp.resolve("state"),
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE), Map.of());
        return StreamsProperties.of(connection, "trainer-test", new DeadLetterHandler.Target(
                TOPICS.deadLetters(), serdes.deadLetters().serializer(), "trainer-test", () -> { }), Map.of());
    }

    private void send(List<PreferenceEvent> events, Instant from) {
        for (int i = 0; i < events.size(); i++) {
            preferences.pipeInput(events.get(i).getEventId(), events.get(i), from.plusMillis(10L * i));
        }
    }

    private List<TrainingPair> storedPairs() {
        WindowStore<String, TrainingPair> store = driver.getWindowStore(StoreNames.TRAINING_PAIRS);
        List<TrainingPair> pairs = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, TrainingPair> all = store.all()) {
            all.forEachRemaining(entry -> pairs.add(entry.value));
        }
        return pairs;
    }

    @Test
    void shouldHaveEveryNodeTheDeadLetterHandlerTreatsAsPerRecord() {
        // Given
        Topology topology = TrainerTopology.build(properties(), TOPICS, settings(1000, 200, 0.5), serdes,
                TrainerFixtures.model(encoder), Runnable::run, Runnable::run);

        // When
        Set<String> nodes = topology.describe().subtopologies().stream().flatMap(s -> s.nodes().stream())
                .map(TopologyDescription.Node::name).collect(Collectors.toSet());

        // Then: a renamed node would turn its per-record failures into fatal ones
        assertThat(nodes).containsAll(TrainerNodes.PER_RECORD);
    }

    @Test
    void shouldExpandAFullRankingOfThreeIntoThreeOrderedPairs() {
        start(settings(1000, 200, 0.5));

        preferences.pipeInput("e1", TrainerFixtures.event("e1", "Which is best?", List.of("a", "b", "c"),
                List.of(2, 0, 1), null), T0);

        assertThat(storedPairs()).extracting(TrainingPair::pairId).containsExactlyInAnyOrder("e1#0", "e1#1", "e1#2");
        assertThat(storedPairs()).extracting(TrainingPair::chosenLength).containsOnly(1);
    }

    @Test
    void shouldEncodeEventsInBatchesOfTheConfiguredSizeKeepingTheirOrder() {
        start(settings(1000, 200, 0.5).toBuilder().encoding(4, Duration.ofMillis(100)).build());

        send(TrainerFixtures.synthetic("b", 3, 1), T0);
        assertThat(storedPairs()).as("three events wait for the fourth").isEmpty();
        send(TrainerFixtures.synthetic("c", 1, 2), T0.plusSeconds(1));

        assertThat(storedPairs()).extracting(TrainingPair::pairId)
                .containsExactlyInAnyOrder("b-0#0", "b-1#0", "b-2#0", "c-0#0");
    }

    /**
     * Events waiting for their encoding batch are in the buffer's changelog; the driver commits after every input
     * record, so the event that completes a batch is added and removed within one commit and, the store being
     * cached, reaches the changelog only as a tombstone.
     */
    @Test
    void shouldLogWaitingEventsToTheChangelogButNotAnEventEncodedBeforeTheCommit() {
        start(settings(1000, 200, 0.5).toBuilder().encoding(4, Duration.ofMillis(100)).build());
        TestOutputTopic<byte[], byte[]> changelog = driver.createOutputTopic(
                "trainer-test-" + StoreNames.ENCODE_BUFFER + "-changelog", new ByteArrayDeserializer(),
                new ByteArrayDeserializer());

        send(TrainerFixtures.synthetic("w", 3, 1), T0);
        List<KeyValue<byte[], byte[]>> waiting = changelog.readKeyValuesToList();
        assertThat(waiting).hasSize(3).allSatisfy(kv -> assertThat(kv.value).isNotNull());

        send(TrainerFixtures.synthetic("x", 1, 2), T0.plusSeconds(1));
        assertThat(changelog.readKeyValuesToList()).hasSize(4).allSatisfy(kv -> assertThat(kv.value).isNull());
        assertThat(storedPairs()).hasSize(4);
    }

    @Test
    void shouldSendAnEventThatCannotBeEncodedToTheDeadLettersAndEncodeTheRestOfItsBatch() throws Exception {
        encoder.close();
        encoder = TrainerFixtures.tinyEncoder(temp, 1996);
        start(settings(1000, 200, 0.5).toBuilder().encoding(4, Duration.ofMillis(100)).build());
        List<PreferenceEvent> events = List.of(
                TrainerFixtures.event("ok-1", "a?", List.of("b", "c"), List.of(0, 1), null),
                TrainerFixtures.event("ok-2", "d?", List.of("e", "f"), List.of(1, 0), null),
                TrainerFixtures.event("bad", "the question", List.of("the answer", "x"), List.of(0, 1), null),
                TrainerFixtures.event("ok-3", "g?", List.of("h", "i"), List.of(0, 1), null));

        send(events, T0);

        assertThat(storedPairs()).extracting(TrainingPair::pairId).containsExactlyInAnyOrder("ok-1#0", "ok-2#0", "ok-3#0");
        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getStage()).isEqualTo(EncodeBatchProcessor.STAGE);
            assertThat(letter.getSourceTopic()).isEqualTo(TOPICS.preferences());
            assertThat(letter.getPartition()).isEqualTo(-1);
            assertThat(letter.getOffset()).isEqualTo(-1L);
            assertThat(letter.getErrorMessage()).as("with ONNX Runtime's own reason").contains("failed on a batch")
                    .contains("out of");
            assertThat(serdes.preferences().deserializer().deserialize(TOPICS.preferences(),
                    letter.getValue().array())).as("the event, ready to be produced again").isEqualTo(events.get(2));
        });
    }

    @Test
    void shouldEncodeAnIncompleteBatchOnceTheLingerTimeHasPassed() {
        start(settings(1000, 200, 0.5).toBuilder().encoding(16, Duration.ofMillis(100)).build());

        send(TrainerFixtures.synthetic("l", 2, 3), T0);
        driver.advanceWallClockTime(Duration.ofMillis(40));
        assertThat(storedPairs()).isEmpty();
        driver.advanceWallClockTime(Duration.ofMillis(80));

        assertThat(storedPairs()).extracting(TrainingPair::pairId).containsExactlyInAnyOrder("l-0#0", "l-1#0");
    }

    @Test
    void shouldGiveBatchedEventsTheSameFeaturesAsEventsEncodedAlone() {
        List<PreferenceEvent> events = TrainerFixtures.synthetic("f", 5, 4);
        start(settings(1000, 200, 0.5));
        send(events, T0);
        List<TrainingPair> alone = storedPairs();
        driver.close();
        driver = null;
        temp.resolve("state").toFile().renameTo(temp.resolve("state-alone").toFile());

        start(settings(1000, 200, 0.5).toBuilder().encoding(5, Duration.ofMillis(100)).build());
        send(events, T0);
        List<TrainingPair> batched = storedPairs();

        assertThat(batched).hasSameSizeAs(alone);
        for (TrainingPair a : alone) {
            TrainingPair b = batched.stream().filter(p -> p.pairId().equals(a.pairId())).findFirst().orElseThrow();
            assertThat(b.chosen()).containsExactly(a.chosen(), Offset.offset(1e-5f));
            assertThat(b.rejected()).containsExactly(a.rejected(), Offset.offset(1e-5f));
        }
    }

    @Test
    void shouldExpandABestOfFourIntoThreePairsWonByTheBest() {
        start(settings(1000, 200, 0.5));

        preferences.pipeInput("e1", TrainerFixtures.event("e1", "Pick one", List.of("w", "xx", "yyy", "zzzz"),
                List.of(3), null), T0);

        assertThat(storedPairs()).hasSize(3).allSatisfy(pair -> assertThat(pair.chosenLength()).isEqualTo(4));
    }

    @Test
    void shouldLearnFromAnEventSentWithoutAKey() {
        start(settings(1000, 200, 0.5));

        preferences.pipeInput(null, TrainerFixtures.event("nokey", "Hi?", List.of("Hello!", "Go away."), List.of(0, 1),
                null), T0);

        assertThat(storedPairs()).extracting(TrainingPair::pairId).containsExactly("nokey#0");
    }

    @Test
    void shouldKeepOnlyTheFirstOfTwoEventsWithTheSameId() {
        start(settings(1000, 200, 0.5));
        PreferenceEvent event = TrainerFixtures.event("dup", "Hi?", List.of("Hello!", "Go away."), List.of(0, 1), null);

        preferences.pipeInput("k1", event, T0);
        preferences.pipeInput("k2", event, T0.plusSeconds(60));

        assertThat(storedPairs()).hasSize(1);
    }

    @Test
    void shouldSendEachInvalidEventToTheDeadLettersWithItsReason() {
        start(settings(1000, 200, 0.5));

        preferences.pipeInput("a", TrainerFixtures.event("a", "", List.of("x", "y"), List.of(0, 1), null), T0);
        preferences.pipeInput("b", TrainerFixtures.event("b", "p", List.of("x"), List.of(0), null), T0);
        preferences.pipeInput("c", TrainerFixtures.event("c", "p", List.of("x", "y"), List.of(0, 2), null), T0);
        preferences.pipeInput("d", TrainerFixtures.event("d", "p", List.of("x", "y"), List.of(1, 1), null), T0);
        preferences.pipeInput("e", TrainerFixtures.event("e", "p", List.of("x", "x"), List.of(0, 1), null), T0);
        preferences.pipeInput("f", TrainerFixtures.event("f", "p", List.of("x", "y"), List.of(0, 1), 1.5), T0);
        preferences.pipeInput("g", TrainerFixtures.event("g", "p", List.of("x", "y"), List.of(0, 1), 0.5), T0);

        List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
        assertThat(letters).extracting(kv -> kv.key).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(letters).extracting(kv -> kv.value.getErrorMessage()).containsExactly("empty prompt",
                "fewer than two responses", "ranking index 2 out of range [0, 2)", "ranking index 1 repeated",
                "identical responses in one pair (indices 0 and 1)", "strength 1.5 outside (0, 1]");
        assertThat(letters.get(0).value.getStage()).isEqualTo(DeadLetters.VALIDATE);
        assertThat(letters.get(0).value.getSourceTopic()).isEqualTo(TOPICS.preferences());
        assertThat(letters.get(0).value.getValue()).isNotNull();
        assertThat(storedPairs()).extracting(TrainingPair::pairId).containsExactly("g#0");
    }

    @Test
    void shouldSendUndecodableBytesToTheDeadLettersAndGoOn() {
        start(settings(1000, 200, 0.5));
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.preferences(), new StringSerializer(),
                new ByteArraySerializer());

        raw.pipeInput("junk", new byte[] {0, 0, 0, 0, 99, 1, 2}, T0);
        preferences.pipeInput("ok", TrainerFixtures.event("ok", "p", List.of("x", "y"), List.of(0, 1), null), T0);

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).getStage()).isEqualTo(DeadLetters.DESERIALIZE);
        assertThat(letters.get(0).getValue().array()).containsExactly(0, 0, 0, 0, 99, 1, 2);
        assertThat(storedPairs()).hasSize(1);
    }

    @Test
    void shouldHoldOutExactlyTheEventsWhoseIdHashFallsBelowTheFraction() {
        TrainerSettings settings = settings(1000, 200, 0.5);
        start(settings);

        send(TrainerFixtures.synthetic("h", 300, 1), T0);

        List<TrainingPair> pairs = storedPairs();
        assertThat(pairs).hasSize(300);
        for (TrainingPair pair : pairs) {
            String id = pair.pairId().substring(0, pair.pairId().indexOf('#'));
            assertThat(pair.heldOut()).isEqualTo(Split.unitHash(id, settings.seed()) < settings.holdoutFraction());
        }
        assertThat(pairs.stream().filter(TrainingPair::heldOut).count()).isBetween(15L, 50L);
    }

    @Test
    void shouldPublishAFirstPromotedReleaseAsSoonAsTheMinimumPairsArrived() {
        start(settings(100, 50, 0.0));

        send(TrainerFixtures.synthetic("s", 140, 2), T0);

        List<ModelRelease> published = releases.readValuesToList();
        assertThat(published).hasSize(1);
        ModelRelease first = published.get(0);
        assertThat(first.getVersion()).isEqualTo(1L);
        assertThat(first.getStatus()).isEqualTo(ReleaseStatus.PROMOTED);
        assertThat(first.getTraining().getTrainPairs()).isGreaterThanOrEqualTo(100L);
        assertThat(first.getTraining().getHeldoutPairs()).isPositive();
        assertThat(first.getEvaluation().getLiveAccuracy()).isNull();
        assertThat(first.getHeadOnnx().remaining()).isPositive();
        assertThat(metrics.readValuesToList()).filteredOn(AccuracyReport.class::isInstance)
                .map(AccuracyReport.class::cast).extracting(AccuracyReport::getKind).contains(AccuracyKind.HELD_OUT);
    }

    @Test
    void shouldPublishAFineTunedEncoderAsChunksOnTheArtifactsTopicWithTheReleaseThatNamesIt() throws Exception {
        // Given: a slow path whose "fine-tune" yields another tiny encoder and a head on its first dimension
        byte[] tuned = TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(11), "last_hidden_state");
        EncoderSource tunedSource = new EncoderSource("tuned", false, tuned, encoder.source().tokenizerJson());
        HeadWeights head = new HeadWeights(List.of(new DenseLayer(TinyEncoders.HIDDEN, 1,
                new float[] {1f, 0f, 0f, 0f}, new float[] {0f})), Activation.NONE);
        List<Integer> trainedOn = new ArrayList<>();
        EncoderFineTuner tuner = (train, validation, stop) -> {
            trainedOn.add(train.size());
            return new EncoderFineTuner.FineTuned(tunedSource, head);
        };
        RetrainSetup base = TrainerFixtures.model(encoder);
        start(settings(100, 50, 0.0).toBuilder().gate(1.0, 0.0).fineTune("full", Duration.ofMinutes(30)).build(),
                new RetrainSetup(base.extractor(), base.options(), new FineTuneJob(tuner, 7, 64, 1), LiveRelease::of));
        send(TrainerFixtures.synthetic("s", 140, 2), T0);
        assertThat(releases.readValuesToList()).extracting(ModelRelease::getVersion).containsExactly(1L);

        // When: the fine-tune punctuator fires, then the one that publishes finished trainings
        driver.advanceWallClockTime(Duration.ofMinutes(30));
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        // Then
        assertThat(trainedOn).singleElement().satisfies(n -> assertThat(n).isGreaterThan(50));
        ModelRelease release = releases.readValuesToList().get(0);
        EncoderIdentity identity = release.getEncoderIdentity();
        assertThat(release.getVersion()).isEqualTo(2L);
        assertThat(identity.getOnnxSha256()).isEqualTo(tunedSource.sha256());
        assertThat(identity.getFeatureSpec()).isEqualTo("joint");
        assertThat(identity.getOnnxArtifact().getSha256()).isEqualTo(tunedSource.sha256());
        Map<String, Map<Integer, ArtifactChunk>> files = new HashMap<>();
        for (var record : artifacts.readRecordsToList()) {
            assertThat(record.key()).isEqualTo(Artifacts.key(record.value()));
            files.computeIfAbsent(record.value().getSha256(), k -> new HashMap<>()).put(record.value().getPart(),
                    record.value());
        }
        assertThat(Artifacts.join(identity.getOnnxArtifact(), files.get(tunedSource.sha256()))).isEqualTo(tuned);
        assertThat(Artifacts.join(identity.getTokenizerArtifact(), files.get(identity.getTokenizerArtifact()
                .getSha256()))).as("a tokenizer that is not built in travels too").isEqualTo(encoder.source()
                .tokenizerJson());
    }

    @Test
    void shouldNotTrainBeforeTheMinimumPairsEvenWhenThePunctuatorFires() {
        start(settings(100, 50, 0.0));

        send(TrainerFixtures.synthetic("s", 60, 2), T0);
        driver.advanceWallClockTime(Duration.ofMinutes(6));

        assertThat(releases.isEmpty()).isTrue();
    }

    @Test
    void shouldRetrainOnTheWallClockPunctuatorWithAHigherVersionOnceEnoughNewPairsArrived() {
        start(settings(100, 50, 0.0));
        send(TrainerFixtures.synthetic("s", 130, 3), T0);
        assertThat(releases.readValuesToList()).extracting(ModelRelease::getVersion).containsExactly(1L);

        send(TrainerFixtures.synthetic("t", 80, 4), T0.plusSeconds(60));
        assertThat(releases.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMinutes(5));

        List<Long> versions = new ArrayList<>();
        releases.readValuesToList().forEach(r -> versions.add(r.getVersion()));
        metrics.readValuesToList().stream().filter(ReleaseRejected.class::isInstance)
                .forEach(r -> versions.add(((ReleaseRejected) r).getVersion()));
        assertThat(versions).containsExactly(2L);
    }

    @Test
    void shouldRejectACandidateBelowTheAccuracyFloorAndPublishNoRelease() {
        start(settings(100, 50, 1.01 - 0.01));

        send(TrainerFixtures.synthetic("s", 130, 5), T0);

        assertThat(releases.isEmpty()).isTrue();
        List<ReleaseRejected> rejected = metrics.readValuesToList().stream()
                .filter(ReleaseRejected.class::isInstance).map(ReleaseRejected.class::cast).toList();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).getReason()).contains("below the floor");
        assertThat(rejected.get(0).getLiveAccuracy()).isNull();
    }

    @Test
    void shouldScoreNewPairsWithTheLiveModelIntoPrequentialWindowReports() {
        start(settings(100, 50, 0.0));
        send(TrainerFixtures.synthetic("s", 120, 6), T0);
        metrics.readValuesToList();

        send(TrainerFixtures.synthetic("p", 100, 7), T0.plusSeconds(30));
        preferences.pipeInput("late", TrainerFixtures.event("late", "p", List.of("x", "y"), List.of(0, 1), null),
                T0.plusSeconds(60));

        List<AccuracyReport> reports = metrics.readValuesToList().stream().filter(AccuracyReport.class::isInstance)
                .map(AccuracyReport.class::cast).filter(r -> r.getKind() == AccuracyKind.PREQUENTIAL).toList();
        assertThat(reports).isNotEmpty();
        assertThat(reports).allSatisfy(r -> assertThat(r.getModelVersion()).isEqualTo(1L));
        assertThat(reports.stream().mapToLong(AccuracyReport::getPairs).max().orElseThrow()).isEqualTo(100L);
        assertThat(reports).allSatisfy(r -> assertThat(r.getConflictRate()).isNotNull().isGreaterThanOrEqualTo(0.0));
    }

    @Test
    void shouldReportTheShareOfConflictingJudgmentsOnPrequentialReports() {
        start(settings(100, 50, 0.0));
        send(TrainerFixtures.synthetic("s", 120, 6), T0);
        metrics.readValuesToList();

        preferences.pipeInput("c1", TrainerFixtures.event("c1", "Which?", List.of("yes", "no"), List.of(0, 1), null),
                T0.plusSeconds(30));
        preferences.pipeInput("c2", TrainerFixtures.event("c2", "Which?", List.of("yes", "no"), List.of(1, 0), null),
                T0.plusSeconds(31));
        preferences.pipeInput("later", TrainerFixtures.event("later", "p", List.of("x", "y"), List.of(0, 1), null),
                T0.plusSeconds(60));

        List<AccuracyReport> reports = metrics.readValuesToList().stream().filter(AccuracyReport.class::isInstance)
                .map(AccuracyReport.class::cast).filter(r -> r.getKind() == AccuracyKind.PREQUENTIAL).toList();
        // The windows close when "later" arrives, before its own judgment is noted: 120 + c1 + c2 judged, 1 conflict.
        double judged = 120 + 2;
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1).getConflictRate()).isCloseTo(1 / judged,
                Offset.offset(1e-9));
    }
}
