package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a BERT encoder as an ONNX graph (ai.onnx opset 17) laid out as Hugging Face's export lays it out, so that
 * everything that reads such exports reads it: Hugging Face names for the embeddings, biases and LayerNorms,
 * anonymous {@code onnx::MatMul_N} names for the [in, out] weight matrices (each found through the Add of its named
 * bias), heads split by a Reshape, exact GELU written with Erf, the attention mask turned into an additive one, and
 * each layer's output named {@code /encoder/layer.N/output/LayerNorm/Add_1} for {@link LayerMeanGraph}. The one
 * output is {@code last_hidden_state}, float [batch, seq, hidden].
 *
 * <p>Used to bring encoders that exist only as weights (a TensorFlow checkpoint) to ONNX Runtime, and by the tests
 * to build tiny encoders.
 */
public final class BertOnnxGraph {

    /** Name of the graph's output. */
    public static final String OUTPUT = "last_hidden_state";

    /**
     * The sizes of the encoder.
     *
     * @param positions rows of the position table: the longest input the graph takes
     */
    public record Sizes(int layers, int hidden, int heads, int intermediate, int vocab, int positions,
                        int tokenTypes) {

        public Sizes {
            if (layers < 1 || hidden < 1 || heads < 1 || intermediate < 1 || vocab < 1 || positions < 1
                    || tokenTypes < 1) {
                throw new IllegalArgumentException("every size of a BERT encoder must be positive: " + this);
            }
            if (hidden % heads != 0) {
                throw new IllegalArgumentException("hidden size " + hidden + " does not split into " + heads
                        + " heads");
            }
        }

        int headSize() {
            return hidden / heads;
        }
    }

    private final Sizes sizes;
    private final Function<String, float[]> weights;
    private final boolean tokenTypeInput;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("bert");
    private int anonymous = 100;

    private BertOnnxGraph(Sizes sizes, Function<String, float[]> weights, boolean tokenTypeInput) {
        this.sizes = sizes;
        this.weights = weights;
        this.tokenTypeInput = tokenTypeInput;
    }

    /**
     * The serialised graph.
     *
     * @param weights        the values of each parameter by its Hugging Face name
     *                       ({@code encoder.layer.3.attention.self.query.weight}), weight matrices laid out [in, out];
     *                       asked for in a fixed order, once each
     * @param tokenTypeInput whether the graph takes {@code token_type_ids}; without it every token takes row 0 of
     *                       the type table
     * @throws IllegalArgumentException when a parameter is missing or has the wrong number of values
     */
    public static byte[] build(Sizes sizes, Function<String, float[]> weights, boolean tokenTypeInput) {
        return new BertOnnxGraph(sizes, weights, tokenTypeInput).build();
    }

    private byte[] build() {
        graph.addInput(OnnxProtos.tensorInfo("input_ids", TensorProto.DataType.INT64, "batch", "seq"))
                .addInput(OnnxProtos.tensorInfo("attention_mask", TensorProto.DataType.INT64, "batch", "seq"));
        if (tokenTypeInput) {
            graph.addInput(OnnxProtos.tensorInfo("token_type_ids", TensorProto.DataType.INT64, "batch", "seq"));
        }
        constants();
        String x = embeddings();
        for (int n = 0; n < sizes.layers(); n++) {
            x = layer(n, x, n == sizes.layers() - 1 ? OUTPUT : null);
        }
        graph.addOutput(OnnxProtos.tensorInfo(OUTPUT, TensorProto.DataType.FLOAT, "batch", "seq", sizes.hidden()));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("rewardstream").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .build().toByteArray();
    }

    private void constants() {
        long[] positionIds = new long[sizes.positions()];
        for (int i = 0; i < positionIds.length; i++) {
            positionIds[i] = i;
        }
        graph.addInitializer(OnnxProtos.longTensor("embeddings.position_ids", positionIds, 1, sizes.positions()))
                .addInitializer(OnnxProtos.longTensor("axes_1_2", new long[] {1, 2}, 2))
                .addInitializer(OnnxProtos.longTensor("zero_1d", new long[] {0}, 1))
                .addInitializer(OnnxProtos.longTensor("one_1d", new long[] {1}, 1))
                .addInitializer(OnnxProtos.longTensor("heads_shape",
                        new long[] {0, 0, sizes.heads(), sizes.headSize()}, 4))
                .addInitializer(OnnxProtos.longTensor("hidden_shape", new long[] {0, 0, sizes.hidden()}, 3))
                .addInitializer(OnnxProtos.floatTensor("one", new float[] {1f}))
                .addInitializer(OnnxProtos.floatTensor("half", new float[] {0.5f}))
                .addInitializer(OnnxProtos.floatTensor("sqrt_two", new float[] {(float) Math.sqrt(2)}))
                .addInitializer(OnnxProtos.floatTensor("sqrt_head_size",
                        new float[] {(float) Math.sqrt(sizes.headSize())}))
                .addInitializer(OnnxProtos.floatTensor("masked", new float[] {-Float.MAX_VALUE}));
        node("Unsqueeze", "/Unsqueeze", "mask_4d", "attention_mask", "axes_1_2");
        graph.addNode(OnnxProtos.node("Cast", "/Cast", List.of("mask_4d"), "mask_float",
                OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)));
        node("Sub", "/Sub", "mask_inverted", "one", "mask_float");
        node("Mul", "/Mul", "mask_add", "mask_inverted", "masked");
    }

    private String embeddings() {
        graph.addInitializer(named("embeddings.word_embeddings.weight", sizes.vocab(), sizes.hidden()))
                .addInitializer(named("embeddings.position_embeddings.weight", sizes.positions(), sizes.hidden()))
                .addInitializer(named("embeddings.token_type_embeddings.weight", sizes.tokenTypes(),
                        sizes.hidden()));
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
        int hidden = sizes.hidden();
        String q = heads(dense(p + "attention.self.query", x, hidden, hidden), v + "q", 0, 2, 1, 3);
        String kT = heads(dense(p + "attention.self.key", x, hidden, hidden), v + "k", 0, 2, 3, 1);
        String value = heads(dense(p + "attention.self.value", x, hidden, hidden), v + "v", 0, 2, 1, 3);
        node("MatMul", v + "attention/self/MatMul", v + "scores", q, kT);
        node("Div", v + "attention/self/Div", v + "scaled", v + "scores", "sqrt_head_size");
        node("Add", v + "attention/self/Add", v + "masked_scores", v + "scaled", "mask_add");
        graph.addNode(OnnxProtos.node("Softmax", v + "attention/self/Softmax", List.of(v + "masked_scores"),
                v + "probs", OnnxProtos.intAttribute("axis", -1)));
        node("MatMul", v + "attention/self/MatMul_1", v + "context_heads", v + "probs", value);
        transpose(v + "context_heads", v + "context_t", 0, 2, 1, 3);
        node("Reshape", v + "attention/self/Reshape_3", v + "context", v + "context_t", "hidden_shape");
        String attnOut = dense(p + "attention.output.dense", v + "context", hidden, hidden);
        node("Add", v + "attention/output/Add", v + "attention_residual", attnOut, x);
        String attended = layerNorm(p + "attention.output.LayerNorm", v + "attention/output/LayerNorm",
                v + "attention_residual", v + "attended");
        String inner = gelu(dense(p + "intermediate.dense", attended, hidden, sizes.intermediate()),
                v + "intermediate/");
        String out = dense(p + "output.dense", inner, sizes.intermediate(), hidden);
        node("Add", v + "output/Add", v + "output_residual", out, attended);
        return layerNorm(p + "output.LayerNorm", v + "output/LayerNorm/Add_1", v + "output_residual",
                outputName != null ? outputName : v + "output/LayerNorm/Add_1_output_0");
    }

    /** MatMul by an anonymous [in, out] weight, then Add of the named bias (bias first, as the exporter writes). */
    private String dense(String module, String x, int in, int out) {
        String weight = "onnx::MatMul_" + anonymous++;
        String node = "/" + module.replace('.', '/');
        graph.addInitializer(OnnxProtos.floatTensor(weight, values(module + ".weight", (long) in * out), in, out))
                .addInitializer(named(module + ".bias", out));
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
        graph.addInitializer(named(module + ".weight", sizes.hidden()))
                .addInitializer(named(module + ".bias", sizes.hidden()));
        AttributeProto epsilon = AttributeProto.newBuilder().setName("epsilon")
                .setType(AttributeProto.AttributeType.FLOAT).setF(1e-12f).build();
        graph.addNode(NodeProto.newBuilder().setOpType("LayerNormalization").setName(nodeName)
                .addInput(x).addInput(module + ".weight").addInput(module + ".bias").addOutput(out)
                .addAttribute(OnnxProtos.intAttribute("axis", -1)).addAttribute(epsilon));
        return out;
    }

    /** An initializer under the parameter's own name. */
    private TensorProto named(String name, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        return OnnxProtos.floatTensor(name, values(name, count), dims);
    }

    private float[] values(String name, long count) {
        float[] v = weights.apply(name);
        if (v == null) {
            throw new IllegalArgumentException("no values for parameter " + name);
        }
        if (v.length != count) {
            throw new IllegalArgumentException("parameter " + name + " needs " + count + " values, got " + v.length);
        }
        return v;
    }

    private void node(String op, String name, String output, String... inputs) {
        graph.addNode(OnnxProtos.node(op, name, List.of(inputs), output));
    }
}
