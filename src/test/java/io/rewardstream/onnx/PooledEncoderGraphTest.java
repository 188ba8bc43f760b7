package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import io.rewardstream.runtime.OrtRuntime;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PooledEncoderGraphTest {

    @Test
    void shouldReturnWhatJavaPoolingGivesForEveryRowWhateverItsPadding() throws Exception {
        // Given a batch of texts of 0 to 9 words, padded to 12 tokens, through a tiny encoder with a second output
        float[] table = TinyEncoders.embeddingTable(11);
        byte[] encoder = TinyEncoders.withPoolerOutput(table);
        TokenBatch batch = TokenBatch.single(new Random(3), 12, 9, 0, 4, 1);

        // When the masked sum runs in the graph and the pooling is finished from it
        float[][] sums = (float[][]) OrtRunner.run(PooledEncoderGraph.rewrite(encoder),
                Map.of("input_ids", batch.inputIds(), "attention_mask", batch.attentionMask()), PooledEncoderGraph.OUTPUT);
        float[][] inGraph = MeanPooling.fromSums(flat(sums), flat(batch.attentionMask()), 4, 12, TinyEncoders.HIDDEN);

        // Then each row is, to the bit, the Java pooling of the hidden states
        float[][] inJava = MeanPooling.pool(TinyEncoders.lookup(table, batch.inputIds()), batch.attentionMask());
        assertThat(sums).hasNumberOfRows(4);
        for (int row = 0; row < inJava.length; row++) {
            assertThat(inGraph[row]).as("row %d", row).containsExactly(inJava[row]);
        }
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[0].length, rows[0].length);
        }
        return out;
    }

    private static long[] flat(long[][] rows) {
        long[] out = new long[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[0].length, rows[0].length);
        }
        return out;
    }

    @Test
    void shouldLeaveTheSumsAsTheOnlyOutputWithTheHiddenSize() throws Exception {
        byte[] rewritten = PooledEncoderGraph.rewrite(TinyEncoders.withPoolerOutput(TinyEncoders.embeddingTable(2)));

        try (OrtSession session = OrtRuntime.cpuSession(rewritten, 1)) {
            assertThat(session.getOutputNames()).containsExactly(PooledEncoderGraph.OUTPUT);
            long[] shape = ((ai.onnxruntime.TensorInfo) session.getOutputInfo().get(PooledEncoderGraph.OUTPUT)
                    .getInfo()).getShape();
            assertThat(shape).containsExactly(-1, TinyEncoders.HIDDEN);
        }
    }

    @Test
    void shouldRefuseAGraphWithNoHiddenStatesToPoolSayingWhy() {
        assertThatThrownBy(() -> PooledEncoderGraph.rewrite(TinyEncoders.withoutHiddenStates()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no output of rank 3");
    }
}
