package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rewardstream.head.Activation;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StandaloneExportTest {

    private static final String INT8_ENCODER = "all-minilm-l6-v2-q.onnx";
    private static final int MINILM_HIDDEN = 384;
    private static final float TOLERANCE = 1e-5f;

    private static byte[] encoder;

    @BeforeAll
    static void loadEncoder() throws IOException {
        try (InputStream in = StandaloneExportTest.class.getClassLoader().getResourceAsStream(INT8_ENCODER)) {
            assertThat(in).as("resource " + INT8_ENCODER).isNotNull();
            encoder = in.readAllBytes();
        }
    }

    /** Hand-made batches: rows of different lengths, padded, the seed fixing the word ids. */
    static Stream<Arguments> jointBatches() {
        return Stream.of(
                Arguments.of(TokenBatch.pairs(new Random(1), 12, new int[] {3, 6}, new int[] {2, 2}, new int[] {1, 1})),
                Arguments.of(TokenBatch.pairs(new Random(2), 20, new int[] {10, 7}, new int[] {4, 12})),
                Arguments.of(TokenBatch.pairs(new Random(3), 5, new int[] {1, 1})));
    }

    @ParameterizedTest
    @MethodSource("jointBatches")
    void shouldGiveTheJavaPathRewardsForAJointExport(TokenBatch batch) throws Exception {
        // Given a joint export of the int8 MiniLM encoder with a seeded 2-layer head
        HeadWeights head = TestHeads.random(11, Activation.RELU, MINILM_HIDDEN, 16, 1);
        byte[] exported = StandaloneExport.build(encoder, FeatureLayout.JOINT, head);

        // When ONNX Runtime runs the export on token ids
        float[] exportedRewards = OrtRunner.column(OrtRunner.run(exported, batch.inputs(""), "reward"));

        // Then it gives the rewards of encoder + Java pooling + Java head
        float[] javaRewards = TestHeads.forward(head, pooled(batch));
        assertClose(exportedRewards, javaRewards);
    }

    static Stream<Arguments> separateHeads() {
        return Stream.of(
                Arguments.of("linear", TestHeads.random(21, Activation.NONE, 3 * MINILM_HIDDEN, 1)),
                Arguments.of("2 layers TANH", TestHeads.random(22, Activation.TANH, 3 * MINILM_HIDDEN, 8, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("separateHeads")
    void shouldGiveTheJavaPathRewardsForASeparateExport(String description, HeadWeights head) throws Exception {
        // Given a separate export and prompts and responses padded to different lengths
        byte[] exported = StandaloneExport.build(encoder, FeatureLayout.SEPARATE, head);
        TokenBatch prompts = TokenBatch.single(new Random(31), 9, 7, 2, 4, 1);
        TokenBatch responses = TokenBatch.single(new Random(32), 15, 3, 13, 1, 8);

        // When ONNX Runtime runs the export
        Map<String, long[][]> inputs = new HashMap<>(prompts.inputs("prompt_"));
        inputs.putAll(responses.inputs("response_"));
        float[] exportedRewards = OrtRunner.column(OrtRunner.run(exported, inputs, "reward"));

        // Then it gives the rewards of the Java path on concat(y, p*y, |p-y|)
        float[][] features = TestHeads.separateFeatures(pooled(prompts), pooled(responses));
        assertClose(exportedRewards, TestHeads.forward(head, features));
    }

    @Test
    void shouldStoreTheEncoderWeightsOnceInASeparateExport() {
        HeadWeights head = TestHeads.random(21, Activation.NONE, 3 * MINILM_HIDDEN, 1);

        byte[] separate = StandaloneExport.build(encoder, FeatureLayout.SEPARATE, head);

        assertThat((double) separate.length).isBetween(0.95 * encoder.length, 1.1 * encoder.length);
    }

    @Test
    void shouldRecordTheEncodingAndKeepTheEncodersOpsetAndIrVersion() {
        var original = OnnxProtos.parse(encoder);
        HeadWeights head = TestHeads.random(11, Activation.NONE, MINILM_HIDDEN, 1);

        var exported = OnnxProtos.parse(StandaloneExport.build(encoder, FeatureLayout.JOINT, head));

        assertThat(exported.getIrVersion()).isEqualTo(original.getIrVersion());
        assertThat(exported.getOpsetImportList()).isEqualTo(original.getOpsetImportList());
        assertThat(exported.getMetadataPropsList())
                .anyMatch(p -> p.getKey().equals(StandaloneExport.ENCODING_KEY) && p.getValue().equals("joint"));
        assertThat(exported.getGraph().getInputList()).extracting(v -> v.getName())
                .containsExactly("input_ids", "attention_mask", "token_type_ids");
    }

    @Test
    void shouldPoolTheRank3OutputOfAnEncoderWithoutTokenTypeIdsAtOpset17() throws Exception {
        // Given a tiny encoder whose hidden states are not named last_hidden_state and which reads no token types
        float[] table = TinyEncoders.embeddingTable(5);
        byte[] tiny = TinyEncoders.embeddingLookup(table, "hidden_states");
        HeadWeights head = TestHeads.random(41, Activation.TANH, 3 * TinyEncoders.HIDDEN, 5, 1);
        TokenBatch prompts = TokenBatch.single(new Random(51), 6, 4, 1);
        TokenBatch responses = TokenBatch.single(new Random(52), 4, 0, 2);

        // When its separate export runs, token_type_ids given but ignored
        Map<String, long[][]> inputs = new HashMap<>(prompts.inputs("prompt_"));
        inputs.putAll(responses.inputs("response_"));
        float[] exportedRewards = OrtRunner.column(OrtRunner.run(
                StandaloneExport.build(tiny, FeatureLayout.SEPARATE, head), inputs, "reward"));

        // Then it agrees with the Java path
        float[][] p = MeanPooling.pool(TinyEncoders.lookup(table, prompts.inputIds()), prompts.attentionMask());
        float[][] y = MeanPooling.pool(TinyEncoders.lookup(table, responses.inputIds()), responses.attentionMask());
        assertClose(exportedRewards, TestHeads.forward(head, TestHeads.separateFeatures(p, y)));
    }

    @Test
    void shouldLeaveOutTheNodesAndWeightsOfEncoderOutputsItDoesNotPool() {
        // Given an encoder with a second output that has its own node and weight
        byte[] tiny = TinyEncoders.withPoolerOutput(TinyEncoders.embeddingTable(5));
        HeadWeights head = TestHeads.random(1, Activation.NONE, TinyEncoders.HIDDEN, 1);

        // When it is exported
        var graph = OnnxProtos.parse(StandaloneExport.build(tiny, FeatureLayout.JOINT, head)).getGraph();

        // Then neither that node nor its weight is in the graph, and the reward is the only output
        assertThat(graph.getInitializerList()).extracting(t -> t.getName()).doesNotContain("pooler_scale");
        assertThat(graph.getNodeList()).extracting(n -> n.getName()).doesNotContain("pooler").contains("lookup");
        assertThat(graph.getOutputList()).extracting(v -> v.getName()).containsExactly("reward");
    }

    @Test
    void shouldRefuseAnEncoderWithNoHiddenStatesToPool() {
        HeadWeights head = TestHeads.random(1, Activation.NONE, 4, 1);

        assertThatThrownBy(() -> StandaloneExport.build(TinyEncoders.withoutHiddenStates(), FeatureLayout.JOINT, head))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the encoder cannot be exported")
                .hasMessageContaining("no output 'last_hidden_state' and no output of rank 3")
                .hasMessageContaining("sentence_embedding");
    }

    @Test
    void shouldRefuseAnEncoderWhoseWeightsLiveInAnExternalFile() {
        HeadWeights head = TestHeads.random(1, Activation.NONE, TinyEncoders.HIDDEN, 1);

        assertThatThrownBy(() -> StandaloneExport.build(TinyEncoders.withExternalWeights(), FeatureLayout.JOINT, head))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight 'embedding' is stored in an external data file");
    }

    @Test
    void shouldRefuseAHeadWhoseWidthDoesNotFitTheLayout() {
        HeadWeights jointHead = TestHeads.random(1, Activation.NONE, MINILM_HIDDEN, 1);

        assertThatThrownBy(() -> StandaloneExport.build(encoder, FeatureLayout.SEPARATE, jointHead))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the head takes 384 features but a separate encoding of hidden size 384 gives 1152");
    }

    /** The Java path: the raw encoder in ONNX Runtime, then {@link MeanPooling}. */
    private static float[][] pooled(TokenBatch batch) throws Exception {
        float[][][] hidden = (float[][][]) OrtRunner.run(encoder, batch.inputs(""), "last_hidden_state");
        return MeanPooling.pool(hidden, batch.attentionMask());
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("reward of row %d", i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }
}
