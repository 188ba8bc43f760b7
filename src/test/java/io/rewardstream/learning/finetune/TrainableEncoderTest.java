package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.onnx.LayerMeanGraph;
import io.rewardstream.onnx.TinyBerts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainableEncoderTest {

    private static final float TOLERANCE = 1e-4f;
    private static final byte[] TINY = TinyBerts.encoder(11);
    private static final List<TokenSequence> TEXTS = TinySequences.random(3, 5, 1, 9, 12);

    private static EncoderSource source(String name, byte[] onnx) {
        return new EncoderSource(name, false, onnx, TinySequences.tokenizerJson());
    }

    @Test
    void shouldComputeTheHiddenStatesOnnxRuntimeComputesFromTheSameGraph() throws Exception {
        try (TrainableEncoder encoder = TrainableEncoder.load(source("tiny", TINY), 1)) {
            float[][][] ort = OrtOutputs.hiddenStates(TINY, TEXTS, encoder.shape(), "last_hidden_state");

            assertThat(OrtOutputs.maxDifference(encoder.outputStates(TEXTS), ort)).isLessThan(TOLERANCE);
        }
    }

    @Test
    void shouldPoolTheLayerMeanAsTheServedEncoderDoes() {
        EncoderSource layerMean = source("tiny-mean", LayerMeanGraph.rewrite(TINY));
        try (TrainableEncoder encoder = TrainableEncoder.load(layerMean, 1);
             TextEncoder served = TextEncoder.load(layerMean, 1, 16)) {
            assertThat(encoder.output()).isEqualTo(EncoderOutput.LAYER_MEAN);
            assertThat(OrtOutputs.maxDifference(encoder.embed(TEXTS), served.embed(TEXTS))).isLessThan(TOLERANCE);
        }
    }

    @Test
    void shouldServeTrainedWeightsThroughOnnxRuntimeAsTheyWereTrained() {
        EncoderSource layerMean = source("tiny-mean", LayerMeanGraph.rewrite(TINY));
        try (TrainableEncoder encoder = TrainableEncoder.load(layerMean, 1);
             RewardFineTuner tuner = RewardFineTuner.withRandomHead(encoder, 5,
                     new FineTuneOptions(0.05f, 0.05f, 0.01f, 1f, 0f))) {
            float[][] before = encoder.embed(TEXTS);
            for (int i = 0; i < 5; i++) {
                tuner.step(PreferencePairs.of(TEXTS.subList(0, 2), TEXTS.subList(2, 4)));
            }
            float[][] trained = encoder.embed(TEXTS);

            try (TextEncoder served = TextEncoder.load(encoder.toEncoderSource("tiny-trained"), 1, 16)) {
                assertThat(OrtOutputs.maxDifference(trained, before)).isGreaterThan(0.01f);
                assertThat(OrtOutputs.maxDifference(served.embed(TEXTS), trained)).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void shouldGiveEveryParameterOfEveryLayerAGradientInOneBackwardPass() {
        try (TrainableEncoder encoder = TrainableEncoder.load(source("tiny", TINY), 1);
             NDManager step = encoder.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ScalarHead head = ScalarHead.of(new float[] {1, -1, 1, -1, 1, -1, 1, -1}, 0f, step);
            TokenBatch batch = TokenBatch.of(TEXTS, encoder.shape());
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray rewards = head.scores(encoder.pooled(batch, step));
                collector.backward(BradleyTerryLoss.of(rewards.get("0:2"), rewards.get("2:"),
                        step.zeros(new Shape(2)), 0.1f));
            }

            List<String> withoutGradient = new ArrayList<>();
            Map<String, NDArray> params = new java.util.LinkedHashMap<>(encoder.parameters().arrays());
            params.put("head.weight", head.weight());
            params.put("head.bias", head.bias());
            params.forEach((name, p) -> {
                if (p.getGradient().abs().sum().getFloat() == 0f) {
                    withoutGradient.add(name);
                }
            });
            assertThat(params).hasSize(5 + 16 * TinyBerts.LAYERS + 2);
            assertThat(withoutGradient).isEmpty();
        }
    }

    @Test
    void shouldGiveEveryTokenTypeZeroWhenTheGraphTakesNoTypeIds() {
        EncoderSource typeless = source("tiny-typeless", TinyBerts.withoutTokenTypeInput(11));
        try (TrainableEncoder encoder = TrainableEncoder.load(typeless, 1);
             TextEncoder served = TextEncoder.load(typeless, 1, 16)) {
            assertThat(TEXTS.get(2).typeIds()).contains(1L);
            assertThat(OrtOutputs.maxDifference(encoder.embed(TEXTS), served.embed(TEXTS))).isLessThan(TOLERANCE);
        }
    }

    @Test
    void shouldKeepItsParametersAndOptimiserStateWhenCreatedInsideAnNdScopeThatCloses() {
        TrainableEncoder encoder;
        RewardFineTuner tuner;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            encoder = TrainableEncoder.load(source("tiny", TINY), 1);
            tuner = RewardFineTuner.withRandomHead(encoder, 5, new FineTuneOptions(0.01f, 0.01f, 0f, 0f, 0f));
        }
        try (encoder; tuner) {
            assertThat(tuner.step(PreferencePairs.of(TEXTS.subList(0, 2), TEXTS.subList(2, 4))).loss()).isPositive();
            assertThat(encoder.embed(TEXTS)).hasNumberOfRows(TEXTS.size());
        }
    }

    @Test
    void shouldRefuseATokenOutsideTheVocabularyNamingIt() {
        try (TrainableEncoder encoder = TrainableEncoder.load(source("tiny", TINY), 1)) {
            List<TokenSequence> tooLarge = List.of(TinySequences.of(3, TinyBerts.VOCAB));

            assertThatThrownBy(() -> encoder.embed(tooLarge)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id " + TinyBerts.VOCAB).hasMessageContaining("position 2");
        }
    }
}
