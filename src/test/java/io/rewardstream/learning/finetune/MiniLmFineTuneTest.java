package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.EncoderTokenizer;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.onnx.LayerMeanGraph;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one test on the real 22.6M-parameter all-MiniLM-L6-v2 (the default, layer-mean graph); the rest use tiny BERTs. */
class MiniLmFineTuneTest {

    private static final float TOLERANCE = 1e-4f;

    @Test
    void shouldAgreeWithOnnxRuntimeOnThePretrainedMiniLmAndAfterATrainingStep() throws Exception {
        EncoderSource minilm = EncoderSource.resolve(EncoderSource.DEFAULT);
        List<TokenSequence> texts = tokenize(minilm, "How do I bake bread at home?",
                "Mix flour, water, salt and yeast, let it rise, then bake it for forty minutes.");
        try (TrainableEncoder encoder = TrainableEncoder.load(minilm, 2);
             TextEncoder served = TextEncoder.load(minilm, 2, 16)) {
            assertThat(encoder.shape()).isEqualTo(new BertShape(6, 384, 12, 1536, 30522, 512, 2));
            assertThat(encoder.output()).isEqualTo(EncoderOutput.LAYER_MEAN);
            float[][][] ortStates = OrtOutputs.hiddenStates(minilm.onnxBytes(), texts, encoder.shape(),
                    LayerMeanGraph.OUTPUT);
            assertThat(OrtOutputs.maxDifference(encoder.outputStates(texts), ortStates)).isLessThan(TOLERANCE);
            assertThat(OrtOutputs.maxDifference(encoder.embed(texts), served.embed(texts))).isLessThan(TOLERANCE);

            try (RewardFineTuner tuner = RewardFineTuner.withRandomHead(encoder, 1,
                    new FineTuneOptions(1e-3f, 1e-3f, 0f, 0f, 0f))) {
                tuner.step(PreferencePairs.of(texts.subList(1, 2), texts.subList(0, 1)));
            }
            try (TextEncoder trained = TextEncoder.load(encoder.toEncoderSource("minilm-trained"), 2, 16)) {
                float[][] djl = encoder.embed(texts);
                assertThat(OrtOutputs.maxDifference(djl, served.embed(texts))).isGreaterThan(1e-3f);
                assertThat(OrtOutputs.maxDifference(trained.embed(texts), djl)).isLessThan(TOLERANCE);
            }
        }
    }

    private static List<TokenSequence> tokenize(EncoderSource source, String... texts) {
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(source.tokenizerJson())) {
            TokenLayout layout = tokenizer.layout(128);
            return Arrays.stream(tokenizer.tokenize(List.of(texts))).map(layout::responseAlone).toList();
        }
    }
}
