package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.onnx.LayerMeanGraph;
import io.rewardstream.onnx.TinyBerts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The top-N path against the full forward, and what each kind of training changes. */
class PairTrainerTest {

    private static final List<TokenSequence> TEXTS = TinySequences.random(4, 5, 1, 9, 12, 3, 7, 14, 2);
    private static final JointPairs PAIRS = new JointPairs(TEXTS, new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7},
            new float[4]);
    private static final float[] HEAD = {0.5f, -1f, 0.25f, 1f, -0.5f, 0.75f, -0.25f, 1f};
    private static final FineTuneRecipe TOP_1 = FineTuneRecipe.defaults().withTraining(EncoderTraining.top(1))
            .withEncoderLearningRate(0.05f).withHeadLearningRate(0.05f).withDropout(0f);

    private static TrainableEncoder load(byte[] onnx) {
        return TrainableEncoder.load(new EncoderSource("tiny", false, onnx, TinySequences.tokenizerJson()), 1);
    }

    @Test
    void shouldScoreFromTheCachedLowerLayersWhatTheFullForwardScoresForTheLayerMean() {
        assertTopMatchesFull(LayerMeanGraph.rewrite(TinyBerts.encoder(11)));
    }

    @Test
    void shouldScoreFromTheCachedLowerLayersWhatTheFullForwardScoresForTheLastLayer() {
        assertTopMatchesFull(TinyBerts.encoder(11));
    }

    private static void assertTopMatchesFull(byte[] onnx) {
        try (TrainableEncoder encoder = load(onnx)) {
            FrozenStates frozen = FrozenStates.compute(encoder, TEXTS, 1);
            float[] full;
            float[] top;
            try (PairTrainer trainer = new PairTrainer(encoder, TOP_1.withTraining(EncoderTraining.full()), null,
                    HEAD, 0.1f)) {
                full = trainer.rewards(TEXTS);
            }
            try (PairTrainer trainer = new PairTrainer(encoder, TOP_1, frozen, HEAD, 0.1f)) {
                top = trainer.rewards(TEXTS);
            }
            assertThat(top.length).isEqualTo(TEXTS.size());
            for (int i = 0; i < top.length; i++) {
                assertThat(Math.abs(top[i] - full[i])).as("sequence " + i).isLessThan(1e-5f);
            }
            assertThat(Math.abs(full[0] - full[1])).as("rewards differ between sequences").isGreaterThan(1e-3f);
        }
    }

    @Test
    void shouldChangeOnlyTheTopLayersInATopNStep() {
        try (TrainableEncoder encoder = load(LayerMeanGraph.rewrite(TinyBerts.encoder(11)))) {
            BertWeights before = encoder.weights();
            try (PairTrainer trainer = new PairTrainer(encoder, TOP_1, FrozenStates.compute(encoder, TEXTS, 1), HEAD,
                    0f)) {
                for (int step = 0; step < 3; step++) {
                    trainer.step(PAIRS, new int[] {0, 1, 2, 3}, 1f, step);
                }
            }
            assertThat(changed(before, encoder.weights())).hasSize(16).allMatch(n -> n.startsWith("encoder.layer.1."));
        }
    }

    @Test
    void shouldLeaveTheEmbeddingsAloneWhenTheyAreFrozenInAFullRun() {
        try (TrainableEncoder encoder = load(TinyBerts.encoder(11))) {
            BertWeights before = encoder.weights();
            try (PairTrainer trainer = new PairTrainer(encoder, TOP_1.withTraining(EncoderTraining.full())
                    .withFreezeEmbeddings(true), null, HEAD, 0f)) {
                trainer.step(PAIRS, new int[] {0, 1, 2, 3}, 1f, 0);
            }
            List<String> changed = changed(before, encoder.weights());
            assertThat(changed).hasSize(32).noneMatch(n -> n.startsWith("embeddings."));
        }
    }

    private static List<String> changed(BertWeights before, BertWeights after) {
        List<String> changed = new ArrayList<>();
        for (String name : before.names()) {
            if (!Arrays.equals(before.get(name), after.get(name))) {
                changed.add(name);
            }
        }
        return changed;
    }
}
