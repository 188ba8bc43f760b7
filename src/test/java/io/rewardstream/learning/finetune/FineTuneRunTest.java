package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.onnx.LayerMeanGraph;
import io.rewardstream.onnx.TinyBerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs on tiny BERTs: early stopping, top-N, checkpoints and resuming, stop requests. */
class FineTuneRunTest {

    private static final EncoderSource ORDER_BLIND = TinyPairs.encoder("order-blind",
            LayerMeanGraph.rewrite(TinyBerts.orderBlindEncoder(21)));
    private static final List<PreferencePair> TRAIN = TinyPairs.orderRule(1, 48);
    private static final List<PreferencePair> VALIDATION = TinyPairs.orderRule(2, 24);
    private static final FineTuneRecipe RECIPE = FineTuneRecipe.defaults().withTraining(EncoderTraining.full())
            .withMaxLength(TinyPairs.MAX_LENGTH).withEpochs(4).withPairsPerBatch(8).withEncoderLearningRate(0.01f)
            .withHeadLearningRate(0.02f).withPatience(4).withDropout(0f).withLinearProbeFirst(true)
            .withLayerDecay(1f).withWeightDecay(0.01f).withFreezeEmbeddings(false).withWarmupFraction(0.1f);

    @TempDir
    Path dir;

    private static FineTuneRun.Result run(FineTuneRecipe recipe, Checkpoint checkpoint, BooleanSupplier stop,
                                          List<FineTuneRun.EpochReport> reports) {
        return FineTuneRun.train(ORDER_BLIND, TRAIN, VALIDATION, recipe, 1, new FineTuneRun.Listener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, double loss) {
                assertThat(step).isBetween(1, stepsPerEpoch);
            }

            @Override
            public void onEpoch(FineTuneRun.EpochReport report) {
                reports.add(report);
            }
        }, checkpoint, stop);
    }

    private static FineTuneRun.Result run(FineTuneRecipe recipe) {
        return run(recipe, Checkpoint.none(), () -> false, new ArrayList<>());
    }

    @Test
    void shouldLearnTheOrderRuleAndReturnTheBestEpochsWeights() {
        List<FineTuneRun.EpochReport> reports = new ArrayList<>();
        FineTuneRun.Result result = run(RECIPE, Checkpoint.none(), () -> false, reports);

        assertThat(reports).extracting(FineTuneRun.EpochReport::epoch).containsExactly(0, 1, 2, 3, 4);
        assertThat(reports.get(0).validationAccuracy()).as("frozen features cannot see the order").isEqualTo(0.5);
        FineTuneRun.EpochReport best = reports.stream().max((a, b) -> a.validationAccuracy() != b.validationAccuracy()
                ? Double.compare(a.validationAccuracy(), b.validationAccuracy())
                : Double.compare(b.validationLoss(), a.validationLoss())).orElseThrow();
        assertThat(result.bestEpoch()).isEqualTo(best.epoch());
        assertThat(best.validationAccuracy()).isGreaterThan(0.9);
        assertThat(Served.accuracy(result, VALIDATION, TinyPairs.MAX_LENGTH)).isCloseTo(best.validationAccuracy(),
                within(1e-9));
        assertThat(result.interrupted()).isFalse();
        assertThat(result.encoder().name()).isEqualTo("order-blind-full");
    }

    @Test
    void shouldStopAfterPatienceEpochsWithoutABetterOneAndReturnTheStartingPointWhenNothingBeatsIt() {
        List<PreferencePair> reversed = VALIDATION.stream()
                .map(p -> new PreferencePair(p.prompt(), p.rejected(), p.chosen(), p.margin())).toList();
        List<FineTuneRun.EpochReport> reports = new ArrayList<>();
        FineTuneRun.Result result = FineTuneRun.train(ORDER_BLIND, TRAIN, reversed,
                RECIPE.withEpochs(12).withPatience(2), 1, new FineTuneRun.Listener() {
                    @Override
                    public void onStep(int epoch, int step, int stepsPerEpoch, double loss) {
                    }

                    @Override
                    public void onEpoch(FineTuneRun.EpochReport report) {
                        reports.add(report);
                    }
                }, Checkpoint.none(), () -> false);

        assertThat(reports).extracting(FineTuneRun.EpochReport::epoch).containsExactly(0, 1, 2);
        assertThat(reports.get(2).validationAccuracy()).isLessThan(0.5);
        assertThat(result.bestEpoch()).isZero();
        BertWeights loaded = BertGraph.read("loaded", ORDER_BLIND.onnxBytes()).weights();
        BertWeights returned = BertGraph.read("returned", result.encoder().onnxBytes()).weights();
        for (String name : loaded.names()) {
            assertThat(returned.get(name)).as(name).containsExactly(loaded.get(name));
        }
    }

    @Test
    void shouldLeaveTheEmbeddingsAndLowerLayersOfATopNRunAsLoaded() {
        EncoderSource plain = TinyPairs.encoder("plain", LayerMeanGraph.rewrite(TinyBerts.encoder(5)));
        FineTuneRun.Result result = FineTuneRun.train(plain, TRAIN, VALIDATION,
                RECIPE.withTraining(EncoderTraining.top(1)).withEpochs(2).withLinearProbeFirst(false), 1,
                FineTuneRun.Listener.NONE, Checkpoint.none(), () -> false);

        BertWeights before = BertGraph.read("before", plain.onnxBytes()).weights();
        BertWeights after = BertGraph.read("after", result.encoder().onnxBytes()).weights();
        List<String> changed = new ArrayList<>();
        for (String name : before.names()) {
            if (!java.util.Arrays.equals(before.get(name), after.get(name))) {
                changed.add(name);
            }
        }
        assertThat(result.bestEpoch()).isPositive();
        assertThat(changed).hasSize(16).allMatch(name -> name.startsWith("encoder.layer.1."));
    }

    @Test
    void shouldResumeFromACheckpointAndEndExactlyAsAnUninterruptedRun() {
        FineTuneRecipe recipe = RECIPE.withEpochs(3).withDropout(0.1f).withDecayToPretrained(true)
                .withFreezeEmbeddings(true);
        List<FineTuneRun.EpochReport> straightReports = new ArrayList<>();
        FineTuneRun.Result straight = run(recipe, Checkpoint.none(), () -> false, straightReports);

        Checkpoint checkpoint = Checkpoint.in(dir.resolve("ckpt"));
        AtomicInteger calls = new AtomicInteger();
        List<FineTuneRun.EpochReport> firstReports = new ArrayList<>();
        FineTuneRun.Result stopped = run(recipe, checkpoint, () -> calls.incrementAndGet() > 9, firstReports);
        assertThat(stopped.interrupted()).isTrue();
        assertThat(checkpoint.exists()).isTrue();
        assertThat(firstReports).extracting(FineTuneRun.EpochReport::epoch).containsExactly(0, 1);

        List<FineTuneRun.EpochReport> resumedReports = new ArrayList<>(firstReports);
        FineTuneRun.Result resumed = run(recipe, checkpoint, () -> false, resumedReports);

        assertThat(resumed.interrupted()).isFalse();
        assertThat(resumed.headWeights()).containsExactly(straight.headWeights());
        assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        assertThat(withoutSeconds(resumed.epochs())).isEqualTo(withoutSeconds(straight.epochs()));
        assertThat(withoutSeconds(resumedReports)).isEqualTo(withoutSeconds(straightReports));
        BertWeights a = BertGraph.read("a", straight.encoder().onnxBytes()).weights();
        BertWeights b = BertGraph.read("b", resumed.encoder().onnxBytes()).weights();
        for (String name : a.names()) {
            assertThat(b.get(name)).as(name).containsExactly(a.get(name));
        }
    }

    @Test
    void shouldWriteACheckpointAndReturnInterruptedWhenAStopIsRequestedBeforeTheFirstStep() throws Exception {
        Checkpoint checkpoint = Checkpoint.in(dir.resolve("stop"));
        FineTuneRun.Result result = run(RECIPE, checkpoint, () -> true, new ArrayList<>());

        assertThat(result.interrupted()).isTrue();
        assertThat(result.epochs()).extracting(FineTuneRun.EpochReport::epoch).containsExactly(0);
        assertThat(result.bestEpoch()).isZero();
        try (var files = Files.list(dir.resolve("stop"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Checkpoint.FILE);
        }
    }

    @Test
    void shouldRefuseToResumeACheckpointOfAnotherRecipe() {
        Checkpoint checkpoint = Checkpoint.in(dir.resolve("other"));
        run(RECIPE, checkpoint, () -> true, new ArrayList<>());

        assertThatThrownBy(() -> run(RECIPE.withSeed(7), checkpoint, () -> false, new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another fine-tuning run");
    }

    @Test
    void shouldRefuseAFrozenRecipe() {
        assertThatThrownBy(() -> run(RECIPE.withTraining(EncoderTraining.frozen())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head-only path");
    }

    private static List<List<Double>> withoutSeconds(List<FineTuneRun.EpochReport> reports) {
        return reports.stream().map(r -> List.of((double) r.epoch(), r.trainLoss(), r.validationAccuracy(),
                r.validationLoss())).toList();
    }

}
