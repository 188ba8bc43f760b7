package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenInt8GraphTest {

    private static final byte[] BERT = TinyBerts.encoder(3);

    private static float[][][] run(byte[] graph, long[][] ids, long[][] mask) throws Exception {
        return (float[][][]) OrtRunner.run(graph, Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids",
                new long[ids.length][ids[0].length]), "last_hidden_state");
    }

    @Test
    void shouldMoveEveryConstantWeightProductToInt8AndLeaveTheAttentionInFloat() {
        // When the tiny BERT (two layers: query, key, value, attention output and two feed-forward products each)
        // is rewritten
        TokenInt8Graph.Rewritten rewritten = TokenInt8Graph.rewrite(BERT);

        // Then its twelve weight products run as MatMulInteger and only the attention's two products per layer stay
        var nodes = OnnxProtos.parse(rewritten.onnx()).getGraph().getNodeList();
        assertThat(rewritten.products()).isEqualTo(6 * TinyBerts.LAYERS);
        assertThat(nodes.stream().filter(n -> n.getOpType().equals("MatMulInteger")).count()).isEqualTo(12);
        assertThat(nodes.stream().map(NodeProto::getOpType).filter("MatMul"::equals).count())
                .isEqualTo(2L * TinyBerts.LAYERS);
        // query, key and value read one input, quantised once: four quantised inputs per layer
        assertThat(nodes.stream().filter(n -> n.getOpType().equals("ReduceMax")).count())
                .isEqualTo(4L * TinyBerts.LAYERS);
    }

    @Test
    void shouldStayCloseToTheFp32Graph() throws Exception {
        long[][] ids = {{1, 5, 9, 13, 17, 21, 2}};
        long[][] mask = {{1, 1, 1, 1, 1, 1, 1}};

        float[][][] fp32 = run(BERT, ids, mask);
        float[][][] int8 = run(TokenInt8Graph.rewrite(BERT).onnx(), ids, mask);

        double largest = 0;
        double error = 0;
        for (int t = 0; t < ids[0].length; t++) {
            for (int h = 0; h < TinyBerts.HIDDEN; h++) {
                largest = Math.max(largest, Math.abs(fp32[0][t][h]));
                error = Math.max(error, Math.abs(fp32[0][t][h] - int8[0][t][h]));
            }
        }
        assertThat(error).isGreaterThan(0).isLessThan(0.05 * largest);
    }

    @Test
    void shouldGiveATextTheSameStatesAloneAndBesideALongerText() throws Exception {
        // Given a short text, and the same text padded in a batch with a longer one of larger activations
        byte[] int8 = TokenInt8Graph.rewrite(BERT).onnx();
        float[][][] alone = run(int8, new long[][] {{1, 4, 2}}, new long[][] {{1, 1, 1}});
        float[][][] batched = run(int8, new long[][] {{1, 4, 2, 0, 0, 0}, {1, 20, 21, 22, 23, 2}},
                new long[][] {{1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1}});

        // Then its states are bit for bit the same: every scale is a function of one token
        for (int t = 0; t < 3; t++) {
            assertThat(batched[0][t]).containsExactly(alone[0][t]);
        }
    }

    @Test
    void shouldReturnAGraphWithoutWeightProductsAsItWas() {
        byte[] lookup = TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(2), "last_hidden_state");

        TokenInt8Graph.Rewritten rewritten = TokenInt8Graph.rewrite(lookup);

        assertThat(rewritten.products()).isZero();
        assertThat(rewritten.onnx()).isSameAs(lookup);
    }
}
