package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.onnx.TinyBerts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardFineTunerTest {

    /** The token whose place decides a pair: the response that starts with it is preferred. */
    private static final long MARKER = 3;
    private static final FineTuneOptions OPTIONS = new FineTuneOptions(0.01f, 0.01f, 0.01f, 1f, 0f);

    private final List<TokenSequence> markerFirst = new ArrayList<>();
    private final List<TokenSequence> markerSecond = new ArrayList<>();

    RewardFineTunerTest() {
        for (long word = MARKER + 1; word < TinyBerts.VOCAB; word++) {
            markerFirst.add(TinySequences.of(MARKER, word));
            markerSecond.add(TinySequences.of(word, MARKER));
        }
    }

    private static TrainableEncoder orderBlind() {
        return TrainableEncoder.load(new EncoderSource("order-blind", false, TinyBerts.orderBlindEncoder(21),
                new byte[0]), 1);
    }

    @Test
    void shouldLearnAnOrderRuleThatTheFrozenEncoderCannotSeeAtAll() {
        try (TrainableEncoder encoder = orderBlind();
             RewardFineTuner tuner = RewardFineTuner.withRandomHead(encoder, 1, OPTIONS)) {
            float[][] first = encoder.embed(markerFirst);
            float[][] second = encoder.embed(markerSecond);
            assertThat(OrtOutputs.maxDifference(first, second)).as("frozen features of both orders").isLessThan(1e-5f);

            float firstLoss = 0;
            float lastLoss = 0;
            for (int step = 0; step < 150; step++) {
                float loss = tuner.step(PreferencePairs.of(markerFirst, markerSecond)).loss();
                firstLoss = step == 0 ? loss : firstLoss;
                lastLoss = loss;
            }

            assertThat(lastLoss).isLessThan(firstLoss / 10);
            assertThat(accuracy(tuner.rewards(markerFirst), tuner.rewards(markerSecond))).isGreaterThan(0.95);
        }
    }

    @Test
    void shouldTrainTheSameWayTwiceFromTheSameSeed() {
        assertThat(losses(8)).containsExactly(losses(8));
    }

    private float[] losses(int steps) {
        float[] losses = new float[steps];
        try (TrainableEncoder encoder = orderBlind();
             RewardFineTuner tuner = RewardFineTuner.withRandomHead(encoder, 1, OPTIONS)) {
            for (int i = 0; i < steps; i++) {
                losses[i] = tuner.step(PreferencePairs.of(markerFirst, markerSecond)).loss();
            }
        }
        return losses;
    }

    @Test
    void shouldRefuseAPairBatchWhosePartsDifferInLength() {
        assertThatThrownBy(() -> new PreferencePairs(markerFirst, markerSecond.subList(0, 3),
                new float[markerFirst.size()]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 rejected");
    }

    @Test
    void shouldRefuseAHeadOfTheWrongWidth() {
        try (TrainableEncoder encoder = orderBlind()) {
            assertThatThrownBy(() -> RewardFineTuner.withHead(encoder, new float[3], 0f, OPTIONS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden size 8");
        }
    }

    @Test
    void shouldRefuseANegativeLearningRate() {
        assertThatThrownBy(() -> new FineTuneOptions(-1e-5f, 1e-3f, 0f, 0f, 0f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encoderLearningRate");
    }

    private static double accuracy(float[] chosen, float[] rejected) {
        int right = 0;
        for (int i = 0; i < chosen.length; i++) {
            right += chosen[i] > rejected[i] ? 1 : 0;
        }
        return (double) right / chosen.length;
    }
}
