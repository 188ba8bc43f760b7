package io.rewardstream.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.signing.ReleaseSigner;
import io.rewardstream.signing.ReleaseVerifier;
import io.rewardstream.signing.SigningKeys;
import io.rewardstream.trainer.TrainerSettings;
import io.rewardstream.trainer.prequential.PageHinkley;
import io.rewardstream.trainer.prequential.PrequentialMonitor;
import io.rewardstream.trainer.prequential.PrequentialWindows;
import io.rewardstream.trainer.retrain.LiveRelease;
import io.rewardstream.trainer.retrain.PairTexts;
import io.rewardstream.trainer.retrain.PromotionGate;
import io.rewardstream.trainer.retrain.PromotionPolicy;
import io.rewardstream.trainer.retrain.ReleaseFactory;
import io.rewardstream.trainer.retrain.RetrainJob;
import io.rewardstream.trainer.retrain.TrainingPair;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training-store processor alone: punctuators fired by hand, training on the calling thread. */
class TrainingStoreProcessorTest {

    private static final EncoderIdentity ENCODER = EncoderIdentity.newBuilder().setName("toy").setOnnxSha256("00")
            .setMaxLength(8).setFeatureSpec("separate").build();

    @TempDir
    Path temp;

    private WindowStore<String, TrainingPair> pairs;
    private WindowStore<String, Integer> judgments;
    private KeyValueStore<String, byte[]> state;
    private final Random random = new Random(11);
    private int next;

    @BeforeEach
    void createStores() {
        pairs = Stores.windowStoreBuilder(Stores.inMemoryWindowStore(StoreNames.TRAINING_PAIRS, Duration.ofDays(7),
                Duration.ofMillis(1), false), Serdes.String(), new TrainingPairSerde()).withLoggingDisabled().build();
        judgments = Stores.windowStoreBuilder(Stores.inMemoryWindowStore(StoreNames.JUDGMENTS, Duration.ofDays(7),
                Duration.ofMillis(1), false), Serdes.String(), Serdes.Integer()).withLoggingDisabled().build();
        state = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.TRAINER_STATE), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
    }

    private static TrainerSettings settings() {
        return TrainerSettings.builder().modelName("m").retrain(Duration.ofMinutes(5), 100, 50).holdout(0.2, 1)
                .gate(0.01, 0.6).prequential(Duration.ofSeconds(30), Duration.ofSeconds(10)).drift(0.05, 30, 30, true)
                .build();
    }

    private MockProcessorContext<String, TrainerOutput> context() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "t");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "x:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, temp.toString());
        MockProcessorContext<String, TrainerOutput> context = new MockProcessorContext<>(props);
        context.setCurrentSystemTimeMs(1_000_000L);
        for (var store : List.of(pairs, judgments, state)) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        return context;
    }

    private TrainingStoreProcessor processor(MockProcessorContext<String, TrainerOutput> context) {
        return processor(context, Runnable::run);
    }

    private TrainingStoreProcessor processor(MockProcessorContext<String, TrainerOutput> context,
                                             Executor trainings) {
        return processor(context, trainings, new ReleaseFactory("m", ENCODER), PromotionPolicy.tolerance());
    }

    private TrainingStoreProcessor processor(MockProcessorContext<String, TrainerOutput> context,
                                             Executor trainings, ReleaseFactory releases) {
        return processor(context, trainings, releases, PromotionPolicy.tolerance());
    }

    private TrainingStoreProcessor processor(MockProcessorContext<String, TrainerOutput> context,
                                             Executor trainings, ReleaseFactory releases, PromotionPolicy policy) {
        TrainerSettings s = settings();
        TrainingStoreProcessor processor = new TrainingStoreProcessor(s.schedule(),
                new RetrainJob(TrainingOptions.defaults(3)), new PromotionGate(s.gateTolerance(), s.gateFloor(), policy),
                releases, new PrequentialMonitor("m",
                new PrequentialWindows(30_000, 10_000), new PageHinkley(0.05, 30, 30)), trainings,
                FineTuneSchedule.off(), LiveRelease::of);
        processor.init(context);
        return processor;
    }

    /** A pair whose first feature tells the winner: +1 for the chosen response, or -1 once the rule is flipped. */
    private TrainingPair pair(boolean flipped) {
        float sign = flipped ? -1f : 1f;
        int id = next++;
        float[] chosen = {sign + (float) random.nextGaussian() * 0.3f, (float) random.nextGaussian()};
        float[] rejected = {-sign + (float) random.nextGaussian() * 0.3f, (float) random.nextGaussian()};
        return new TrainingPair("e" + id + "#0", "k" + id, true, chosen, rejected, Float.NaN, 10, 5, id % 5 == 0,
                new PairTexts("p" + id, "c" + id, "r" + id));
    }

    private void feed(TrainingStoreProcessor processor, int count, boolean flipped, long from) {
        for (int i = 0; i < count; i++) {
            processor.process(new Record<>("k", pair(flipped), from + 100L * i));
        }
    }

    private static <T> List<T> forwarded(MockProcessorContext<String, TrainerOutput> context, Class<T> type) {
        return context.forwarded().stream().map(f -> f.record().value())
                .map(out -> out.isRelease() ? out.release() : out.metric()).filter(type::isInstance).map(type::cast)
                .toList();
    }

    @Test
    void shouldPromoteTheFirstModelOnceTheMinimumTrainingPairsArrived() {
        MockProcessorContext<String, TrainerOutput> context = context();
        TrainingStoreProcessor processor = processor(context);

        feed(processor, 130, false, 0);

        List<ModelRelease> releases = forwarded(context, ModelRelease.class);
        assertThat(releases).hasSize(1);
        assertThat(releases.get(0).getVersion()).isEqualTo(1L);
        assertThat(releases.get(0).getEvaluation().getAccuracy()).isGreaterThan(0.95);
    }

    @Test
    void shouldSignEachPromotedReleaseWithTheConfiguredKey() {
        // Given a trainer with a release key
        KeyPair key = SigningKeys.generate();
        MockProcessorContext<String, TrainerOutput> context = context();
        TrainingStoreProcessor processor = processor(context, Runnable::run,
                new ReleaseFactory("m", ENCODER, new ReleaseSigner(key.getPrivate())));

        // When it promotes a model
        feed(processor, 130, false, 0);

        // Then the release carries a signature that verifies with the public key, and with no other
        ModelRelease release = forwarded(context, ModelRelease.class).get(0);
        assertThat(new ReleaseVerifier(key.getPublic(), "the trainer's key").problem(release)).isEmpty();
        assertThat(new ReleaseVerifier(SigningKeys.generate().getPublic(), "another key").problem(release))
                .hasValueSatisfying(p -> assertThat(p).contains("does not verify"));
    }

    @Test
    void shouldRetrainOnlyWhenThePunctuatorFindsEnoughNewPairs() {
        MockProcessorContext<String, TrainerOutput> context = context();
        TrainingStoreProcessor processor = processor(context);
        feed(processor, 130, false, 0);
        context.resetForwards();

        feed(processor, 30, false, 20_000);
        processor.retrainIfDue(0);
        assertThat(forwarded(context, ModelRelease.class)).isEmpty();

        feed(processor, 40, false, 30_000);
        processor.retrainIfDue(0);
        assertThat(forwarded(context, ModelRelease.class)).extracting(ModelRelease::getVersion).containsExactly(2L);
        assertThat(forwarded(context, ModelRelease.class).get(0).getEvaluation().getLiveAccuracy()).isNotNull();
    }

    @Test
    void shouldKeepTheLiveModelUnderTheImprovementPolicyWhenARetrainIsNoBetter() {
        // Given the improvement policy and a first model that already knows the rule
        MockProcessorContext<String, TrainerOutput> context = context();
        TrainingStoreProcessor processor = processor(context, Runnable::run, new ReleaseFactory("m", ENCODER),
                new PromotionPolicy(PromotionPolicy.Kind.IMPROVEMENT, 0.0, 0.05));
        feed(processor, 130, false, 0);
        assertThat(forwarded(context, ModelRelease.class)).extracting(ModelRelease::getVersion).containsExactly(1L);
        context.resetForwards();

        // When a retrain on more pairs of the same rule is no better
        feed(processor, 70, false, 30_000);
        processor.retrainIfDue(0);

        // Then nothing is promoted, and the rejection says why
        assertThat(forwarded(context, ModelRelease.class)).isEmpty();
        assertThat(forwarded(context, ReleaseRejected.class)).singleElement()
                .satisfies(r -> assertThat(r.getReason()).containsAnyOf("no improvement", "not significant"));
    }

    @Test
    void shouldContinueVersionsAndScoreWithTheLiveModelAfterARestartOnTheSameStores() {
        MockProcessorContext<String, TrainerOutput> first = context();
        feed(processor(first), 130, false, 0);
        assertThat(forwarded(first, ModelRelease.class)).hasSize(1);

        MockProcessorContext<String, TrainerOutput> second = context();
        TrainingStoreProcessor restarted = processor(second);
        feed(restarted, 60, false, 20_000);
        restarted.retrainIfDue(0);

        assertThat(forwarded(second, ModelRelease.class)).extracting(ModelRelease::getVersion).containsExactly(2L);
    }

    @Test
    void shouldRaiseADriftAlertWhenTheRuleFlipsAndRetrainAtOnceOnThePairsSinceTheChange() {
        MockProcessorContext<String, TrainerOutput> context = context();
        TrainingStoreProcessor processor = processor(context);
        feed(processor, 130, false, 0);
        feed(processor, 300, false, 13_000);
        assertThat(forwarded(context, DriftAlert.class)).isEmpty();
        context.resetForwards();

        int sent = 0;
        while (forwarded(context, DriftAlert.class).isEmpty() && sent < 200) {
            feed(processor, 1, true, 100_000 + 100L * sent);
            sent++;
        }
        assertThat(forwarded(context, DriftAlert.class)).hasSize(1);
        assertThat(sent).isLessThan(100);

        feed(processor, 200, true, 200_000);

        List<ModelRelease> releases = forwarded(context, ModelRelease.class);
        assertThat(forwarded(context, ReleaseRejected.class)).isEmpty();
        assertThat(releases).isNotEmpty();
        ModelRelease recovered = releases.get(releases.size() - 1);
        assertThat(recovered.getEvaluation().getAccuracy()).isGreaterThan(0.9);
        assertThat(recovered.getEvaluation().getLiveAccuracy()).isLessThan(0.5);
    }

    @Test
    void shouldRaiseADriftAlertWhenTheRuleFlipsRightAsANewModelGoesLive() {
        MockProcessorContext<String, TrainerOutput> context = context();
        TrainingStoreProcessor processor = processor(context);
        int sent = 0;
        while (forwarded(context, ModelRelease.class).isEmpty() && sent < 500) {
            feed(processor, 1, false, 100L * sent++);
        }
        assertThat(forwarded(context, ModelRelease.class)).as("v1 promoted").hasSize(1);

        // Every pair the new model sees is from after the change: the detector must not take that as its baseline.
        assertThat(flippedPairsUntilAlert(context, processor, 100_000)).isLessThan(100);
    }

    @Test
    void shouldRaiseADriftAlertWhenARestartedTrainerSeesOnlyPairsFromAfterAChange() {
        MockProcessorContext<String, TrainerOutput> first = context();
        feed(processor(first), 130, false, 0);
        assertThat(forwarded(first, ModelRelease.class)).hasSize(1);

        MockProcessorContext<String, TrainerOutput> second = context();
        TrainingStoreProcessor restarted = processor(second);

        assertThat(flippedPairsUntilAlert(second, restarted, 100_000)).isLessThan(100);
    }

    @Test
    void shouldRejectACandidateThatWasTrainingWhenADriftAlertDatedAChangeAfterItsPairs() {
        MockProcessorContext<String, TrainerOutput> context = context();
        ArrayDeque<Runnable> trainings = new ArrayDeque<>();
        TrainingStoreProcessor processor = processor(context, trainings::add);
        feed(processor, 130, false, 0);
        trainings.poll().run();
        processor.publishFinished(0);
        assertThat(forwarded(context, ModelRelease.class)).as("v1").hasSize(1);
        feed(processor, 80, false, 20_000);
        processor.retrainIfDue(0);
        assertThat(trainings).as("a retrain on the old rule is in flight").hasSize(1);

        flippedPairsUntilAlert(context, processor, 100_000);
        trainings.poll().run();
        processor.publishFinished(0);

        assertThat(forwarded(context, ModelRelease.class)).as("no stale promotion").hasSize(1);
        assertThat(forwarded(context, ReleaseRejected.class)).singleElement()
                .satisfies(r -> assertThat(r.getReason()).contains("drift alert"));
    }

    private int flippedPairsUntilAlert(MockProcessorContext<String, TrainerOutput> context,
                                       TrainingStoreProcessor processor, long from) {
        int sent = 0;
        while (forwarded(context, DriftAlert.class).isEmpty() && sent < 500) {
            feed(processor, 1, true, from + 100L * sent);
            sent++;
        }
        assertThat(forwarded(context, DriftAlert.class)).as("drift alerts after %d flipped pairs", sent).hasSize(1);
        return sent;
    }
}
