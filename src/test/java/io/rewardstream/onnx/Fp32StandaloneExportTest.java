package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rewardstream.head.Activation;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The separate export of the 90 MB fp32 MiniLM: weights stored once, rewards equal to the Java path. */
class Fp32StandaloneExportTest {

    private static final String FP32_ENCODER = "all-minilm-l6-v2.onnx";

    @Test
    void shouldExportTheFp32EncoderTwiceOverWithinItsOwnSizeAndAgreeWithTheJavaPath() throws Exception {
        // Given the fp32 encoder and a seeded linear head on concat(y, p*y, |p-y|)
        byte[] encoder = load();
        HeadWeights head = TestHeads.random(61, Activation.NONE, 3 * 384, 1);
        TokenBatch prompts = TokenBatch.single(new Random(71), 8, 6, 2);
        TokenBatch responses = TokenBatch.single(new Random(72), 11, 9, 3);

        // When it is exported with the separate layout and run
        byte[] exported = StandaloneExport.build(encoder, FeatureLayout.SEPARATE, head);
        Map<String, long[][]> inputs = new HashMap<>(prompts.inputs("prompt_"));
        inputs.putAll(responses.inputs("response_"));
        float[] rewards = OrtRunner.column(OrtRunner.run(exported, inputs, "reward"));

        // Then the file is about the encoder's size, not double, and the rewards match
        assertThat((double) exported.length).isBetween(0.95 * encoder.length, 1.05 * encoder.length);
        float[][] p = pool(encoder, prompts);
        float[][] y = pool(encoder, responses);
        float[] expected = TestHeads.forward(head, TestHeads.separateFeatures(p, y));
        for (int i = 0; i < expected.length; i++) {
            assertThat(rewards[i]).as("reward of row %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    private static float[][] pool(byte[] encoder, TokenBatch batch) throws Exception {
        float[][][] hidden = (float[][][]) OrtRunner.run(encoder, batch.inputs(""), "last_hidden_state");
        return MeanPooling.pool(hidden, batch.attentionMask());
    }

    private static byte[] load() throws IOException {
        try (InputStream in = Fp32StandaloneExportTest.class.getClassLoader().getResourceAsStream(FP32_ENCODER)) {
            assertThat(in).as("resource " + FP32_ENCODER).isNotNull();
            return in.readAllBytes();
        }
    }
}
