package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.Random;

/**
 * Tiny BERT encoders built as Hugging Face's ONNX export lays BERT out, at ai.onnx opset 17: Hugging Face names for
 * embeddings, biases and LayerNorms, anonymous {@code onnx::MatMul_N} names for the [in, out] weight matrices (each
 * found through the Add of its bias), heads split by a Reshape, GELU written with Erf, the attention mask turned
 * into an additive one, and layer outputs named {@code /encoder/layer.N/output/LayerNorm/Add_1} so that
 * {@link LayerMeanGraph} can rewrite them. Small enough that a training step takes milliseconds.
 */
public final class TinyBerts {

    public static final int LAYERS = 2;
    public static final int HIDDEN = 8;
    public static final int HEADS = 2;
    public static final int INTERMEDIATE = 16;
    public static final int VOCAB = 24;
    public static final int POSITIONS = 16;
    public static final int TOKEN_TYPES = 2;

    private static final int HEAD_SIZE = HIDDEN / HEADS;

    private final Random random;
    private final boolean zeroPositions;
    private final boolean tokenTypeInput;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny_bert");
    private int anonymous = 100;

    private TinyBerts(long seed, boolean zeroPositions, boolean tokenTypeInput) {
        this.random = new Random(seed);
        this.zeroPositions = zeroPositions;
        this.tokenTypeInput = tokenTypeInput;
    }

    /** A tiny BERT with seeded random weights whose output is the last layer's, "last_hidden_state". */
    public static byte[] encoder(long seed) {
        return new TinyBerts(seed, false, true).build();
    }

    /** As {@link #encoder}, but without a token_type_ids input: every token takes row 0 of the type table. */
    public static byte[] withoutTokenTypeInput(long seed) {
        return new TinyBerts(seed, false, false).build();
    }

    /**
     * As {@link #encoder}, but with an all-zero position table: until trained, the encoder cannot tell token order
     * apart, so mean-pooled vectors of the same tokens in any order are equal.
     */
    public static byte[] orderBlindEncoder(long seed) {
        return new TinyBerts(seed, true, true).build();
    }

    private byte[] build() {
        graph.addInput(OnnxProtos.tensorInfo("input_ids", TensorProto.DataType.INT64, "batch", "seq"))
                .addInput(OnnxProtos.tensorInfo("attention_mask", TensorProto.DataType.INT64, "batch", "seq"));
        if (tokenTypeInput) {
            graph.addInput(OnnxProtos.tensorInfo("token_type_ids", TensorProto.DataType.INT64, "batch", "seq"));
        }
        constants();
        String x = embeddings();
        for (int n = 0; n < LAYERS; n++) {
            x = layer(n, x, n == LAYERS - 1 ? "last_hidden_state" : null);
        }
        graph.addOutput(OnnxProtos.tensorInfo("last_hidden_state", TensorProto.DataType.FLOAT, "batch", "seq", HIDDEN));
        return ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .build().toByteArray();
    }

    private void constants() {
        long[] positionIds = new long[POSITIONS];
        for (int i = 0; i < POSITIONS; i++) {
            positionIds[i] = i;
        }
        graph.addInitializer(OnnxProtos.longTensor("embeddings.position_ids", positionIds, 1, POSITIONS))
                .addInitializer(OnnxProtos.longTensor("axes_1_2", new long[] {1, 2}, 2))
                .addInitializer(OnnxProtos.longTensor("zero_1d", new long[] {0}, 1))
                .addInitializer(OnnxProtos.longTensor("one_1d", new long[] {1}, 1))
                .addInitializer(OnnxProtos.longTensor("heads_shape", new long[] {0, 0, HEADS, HEAD_SIZE}, 4))
                .addInitializer(OnnxProtos.longTensor("hidden_shape", new long[] {0, 0, HIDDEN}, 3))
                .addInitializer(OnnxProtos.floatTensor("one", new float[] {1f}))
                .addInitializer(OnnxProtos.floatTensor("half", new float[] {0.5f}))
                .addInitializer(OnnxProtos.floatTensor("sqrt_two", new float[] {(float) Math.sqrt(2)}))
                .addInitializer(OnnxProtos.floatTensor("sqrt_head_size", new float[] {(float) Math.sqrt(HEAD_SIZE)}))
                .addInitializer(OnnxProtos.floatTensor("masked", new float[] {-Float.MAX_VALUE}));
        node("Unsqueeze", "/Unsqueeze", "mask_4d", "attention_mask", "axes_1_2");
        graph.addNode(OnnxProtos.node("Cast", "/Cast", List.of("mask_4d"), "mask_float",
                OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)));
        node("Sub", "/Sub", "mask_inverted", "one", "mask_float");
        node("Mul", "/Mul", "mask_add", "mask_inverted", "masked");
    }

    private String embeddings() {
        graph.addInitializer(weights("embeddings.word_embeddings.weight", 0.5, VOCAB, HIDDEN))
                .addInitializer(weights("embeddings.position_embeddings.weight", zeroPositions ? 0 : 0.5, POSITIONS,
                        HIDDEN))
                .addInitializer(weights("embeddings.token_type_embeddings.weight", 0.5, TOKEN_TYPES, HIDDEN));
        graph.addNode(OnnxProtos.node("Shape", "/embeddings/Shape", List.of("input_ids"), "seq_1d",
                OnnxProtos.intAttribute("start", 1), OnnxProtos.intAttribute("end", 2)));
        node("Slice", "/embeddings/Slice", "position_slice", "embeddings.position_ids", "zero_1d", "seq_1d", "one_1d");
        node("Gather", "/embeddings/word_embeddings/Gather", "words", "embeddings.word_embeddings.weight",
                "input_ids");
        String typeIds = "token_type_ids";
        if (!tokenTypeInput) {
            graph.addInitializer(OnnxProtos.longTensor("zero", new long[] {0}));
            node("Mul", "/embeddings/Mul", "zero_type_ids", "input_ids", "zero");
            typeIds = "zero_type_ids";
        }
        node("Gather", "/embeddings/token_type_embeddings/Gather", "types", "embeddings.token_type_embeddings.weight",
                typeIds);
        node("Gather", "/embeddings/position_embeddings/Gather", "positions", "embeddings.position_embeddings.weight",
                "position_slice");
        node("Add", "/embeddings/Add", "words_types", "words", "types");
        node("Add", "/embeddings/Add_1", "embedded", "words_types", "positions");
        return layerNorm("embeddings.LayerNorm", "/embeddings/LayerNorm/LayerNormalization", "embedded",
                "embeddings_out");
    }

    private String layer(int n, String x, String outputName) {
        String p = "encoder.layer." + n + ".";
        String v = "/encoder/layer." + n + "/";
        String q = heads(dense(p + "attention.self.query", x, HIDDEN, HIDDEN), v + "q", 0, 2, 1, 3);
        String kT = heads(dense(p + "attention.self.key", x, HIDDEN, HIDDEN), v + "k", 0, 2, 3, 1);
        String value = heads(dense(p + "attention.self.value", x, HIDDEN, HIDDEN), v + "v", 0, 2, 1, 3);
        node("MatMul", v + "attention/self/MatMul", v + "scores", q, kT);
        node("Div", v + "attention/self/Div", v + "scaled", v + "scores", "sqrt_head_size");
        node("Add", v + "attention/self/Add", v + "masked_scores", v + "scaled", "mask_add");
        graph.addNode(OnnxProtos.node("Softmax", v + "attention/self/Softmax", List.of(v + "masked_scores"),
                v + "probs", OnnxProtos.intAttribute("axis", -1)));
        node("MatMul", v + "attention/self/MatMul_1", v + "context_heads", v + "probs", value);
        transpose(v + "context_heads", v + "context_t", 0, 2, 1, 3);
        node("Reshape", v + "attention/self/Reshape_3", v + "context", v + "context_t", "hidden_shape");
        String attnOut = dense(p + "attention.output.dense", v + "context", HIDDEN, HIDDEN);
        node("Add", v + "attention/output/Add", v + "attention_residual", attnOut, x);
        String attended = layerNorm(p + "attention.output.LayerNorm", v + "attention/output/LayerNorm",
                v + "attention_residual", v + "attended");
        String inner = gelu(dense(p + "intermediate.dense", attended, HIDDEN, INTERMEDIATE), v + "intermediate/");
        String out = dense(p + "output.dense", inner, INTERMEDIATE, HIDDEN);
        node("Add", v + "output/Add", v + "output_residual", out, attended);
        return layerNorm(p + "output.LayerNorm", v + "output/LayerNorm/Add_1", v + "output_residual",
                outputName != null ? outputName : v + "output/LayerNorm/Add_1_output_0");
    }

    /** MatMul by an anonymous [in, out] weight, then Add of the named bias (bias first, as the exporter writes). */
    private String dense(String module, String x, int in, int out) {
        String weight = "onnx::MatMul_" + anonymous++;
        String node = "/" + module.replace('.', '/');
        graph.addInitializer(weights(weight, 1.0 / Math.sqrt(in), in, out))
                .addInitializer(weights(module + ".bias", 0.1, out));
        node("MatMul", node + "/MatMul", node + "/MatMul_output_0", x, weight);
        node("Add", node + "/Add", node + "/Add_output_0", module + ".bias", node + "/MatMul_output_0");
        return node + "/Add_output_0";
    }

    private String heads(String x, String name, long... perm) {
        node("Reshape", name + "/Reshape", name + "_split", x, "heads_shape");
        return transpose(name + "_split", name + "_t", perm);
    }

    private String transpose(String x, String out, long... perm) {
        graph.addNode(OnnxProtos.node("Transpose", out + "/Transpose", List.of(x), out,
                OnnxProtos.intsAttribute("perm", perm)));
        return out;
    }

    /** x * 0.5 * (1 + erf(x / sqrt 2)), as the exporter writes exact GELU. */
    private String gelu(String x, String prefix) {
        node("Div", prefix + "Div", prefix + "div", x, "sqrt_two");
        node("Erf", prefix + "Erf", prefix + "erf", prefix + "div");
        node("Add", prefix + "Add", prefix + "erf_plus_one", prefix + "erf", "one");
        node("Mul", prefix + "Mul", prefix + "mul", x, prefix + "erf_plus_one");
        node("Mul", prefix + "Mul_1", prefix + "gelu", prefix + "mul", "half");
        return prefix + "gelu";
    }

    private String layerNorm(String module, String nodeName, String x, String out) {
        float[] gamma = new float[HIDDEN];
        for (int i = 0; i < HIDDEN; i++) {
            gamma[i] = 1f + (float) (0.1 * random.nextGaussian());
        }
        graph.addInitializer(OnnxProtos.floatTensor(module + ".weight", gamma, HIDDEN))
                .addInitializer(weights(module + ".bias", 0.1, HIDDEN));
        AttributeProto epsilon = AttributeProto.newBuilder().setName("epsilon")
                .setType(AttributeProto.AttributeType.FLOAT).setF(1e-12f).build();
        graph.addNode(NodeProto.newBuilder().setOpType("LayerNormalization").setName(nodeName)
                .addInput(x).addInput(module + ".weight").addInput(module + ".bias").addOutput(out)
                .addAttribute(OnnxProtos.intAttribute("axis", -1)).addAttribute(epsilon));
        return out;
    }

    private TensorProto weights(String name, double scale, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (scale * random.nextGaussian());
        }
        return OnnxProtos.floatTensor(name, values, dims);
    }

    private void node(String op, String name, String output, String... inputs) {
        graph.addNode(OnnxProtos.node(op, name, List.of(inputs), output));
    }
}
