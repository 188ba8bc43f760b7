package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites an fp32 encoder graph so that its matrix products with constant weights run in int8, with every
 * quantisation scale a function of one token alone: a text's vector never depends on which texts share its batch.
 *
 * <p>Each {@code MatMul} whose second input is a 2-D float initializer becomes: the activations quantised per token
 * (per row of the last axis: scale = max |x| / 127, rounded, stored as uint8 with zero point 128), {@code
 * MatMulInteger} with the weights quantised per output column (symmetric int8, scale = max |w| / 127), then the
 * int32 result scaled back to float by the token's scale and the column's scale. Inputs shared by several products
 * (query, key and value) are quantised once. Everything else (embeddings, attention scores, softmax, layer norms,
 * GELU) stays fp32.
 *
 * <p>Contrast with ONNX Runtime's dynamic quantisation ({@code DynamicQuantizeLinear}), which takes one scale over
 * the whole [batch, seq, hidden] tensor, so a long text in the batch changes the rounding of every other text.
 */
public final class TokenInt8Graph {

    /** Largest magnitude of a symmetric int8 value. */
    static final float LEVELS = 127f;
    /** Floor of a token's or a column's largest magnitude, so that an all-zero row gets scale 1e-12, not 0. */
    static final float MIN_RANGE = 1e-12f;

    private static final int REDUCE_AXES_AS_INPUT_SINCE = 18;

    private TokenInt8Graph() {
    }

    /** What the rewrite did: the rewritten graph and how many products it moved to int8. */
    public record Rewritten(byte[] onnx, int products) {
    }

    /** The rewritten graph; a graph without a MatMul of a constant 2-D float weight comes back as it was. */
    public static Rewritten rewrite(byte[] fp32Onnx) {
        ModelProto model = OnnxProtos.parse(fp32Onnx);
        GraphProto graph = model.getGraph();
        int opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain()
                .equals("ai.onnx")).mapToInt(o -> (int) o.getVersion()).findFirst().orElse(11);
        Map<String, TensorProto> initializers = new HashMap<>();
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        Set<String> names = new HashSet<>(initializers.keySet());
        for (NodeProto n : graph.getNodeList()) {
            names.addAll(n.getOutputList());
            names.add(n.getName());
        }
        GraphFragment added = new GraphFragment(opset, names);
        List<NodeProto> nodes = new ArrayList<>();
        Map<String, String[]> quantised = new HashMap<>();
        Map<String, String[]> weights = new HashMap<>();
        int products = 0;
        String one = null;
        for (NodeProto node : graph.getNodeList()) {
            TensorProto weight = node.getOpType().equals("MatMul") && node.getInputCount() == 2
                    ? initializers.get(node.getInput(1)) : null;
            if (weight == null || weight.getDimsCount() != 2
                    || weight.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                nodes.add(node);
                continue;
            }
            String[] activation = quantised.get(node.getInput(0));
            if (activation == null) {
                activation = quantiseRows(added, node.getInput(0), "int8/" + quantised.size(), opset);
                quantised.put(node.getInput(0), activation);
            }
            String[] w = weights.get(node.getInput(1));
            if (w == null) {
                w = quantiseColumns(added, weight, "int8/w" + weights.size());
                weights.put(node.getInput(1), w);
            }
            String prefix = "int8/mm" + products;
            if (Boolean.getBoolean("tok8.fused")) {
                if (one == null) {
                    one = added.scalar("int8/one", 1f);
                }
                NodeProto fused = NodeProto.newBuilder().setOpType("MatMulIntegerToFloat").setDomain("com.microsoft")
                        .setName(prefix + "/float").addAllInput(List.of(activation[0], w[0], one, w[1], activation[2]))
                        .addOutput(prefix + "/float").build();
                nodes.addAll(added.drainNodes());
                nodes.add(fused);
                nodes.add(OnnxProtos.node("Mul", prefix + "/scaled", List.of(prefix + "/float", activation[1]),
                        node.getOutput(0)));
                products++;
                continue;
            }
            String product = added.node("MatMulInteger", prefix + "/int32", activation[0], w[0], activation[2]);
            String asFloat = added.node("Cast", prefix + "/float", List.of(product),
                    OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE));
            String rowScaled = added.node("Mul", prefix + "/row_scaled", asFloat, activation[1]);
            nodes.addAll(added.drainNodes());
            nodes.add(OnnxProtos.node("Mul", prefix + "/scaled", List.of(rowScaled, w[1]), node.getOutput(0)));
            products++;
        }
        if (products == 0) {
            return new Rewritten(fp32Onnx, 0);
        }
        Set<String> stillUsed = new HashSet<>();
        nodes.forEach(n -> stillUsed.addAll(n.getInputList()));
        GraphProto.Builder out = graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
        for (TensorProto t : graph.getInitializerList()) {
            if (stillUsed.contains(t.getName()) || !weights.containsKey(t.getName())) {
                out.addInitializer(t);
            }
        }
        added.addTo(out);
        ModelProto.Builder rewritten = model.toBuilder().setGraph(out);
        if (Boolean.getBoolean("tok8.fused")) {
            rewritten.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
        }
        if (opset < 11) {
            rewritten.clearOpsetImport().addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(11));
        }
        return new Rewritten(rewritten.build().toByteArray(), products);
    }

    /**
     * Per-row quantisation of {@code input} [..., k]: uint8 values (zero point 128), the float scale [..., 1] and the
     * name of the zero point.
     */
    private static String[] quantiseRows(GraphFragment g, String input, String prefix, int opset) {
        String abs = g.node("Abs", prefix + "/abs", input);
        String max = opset < REDUCE_AXES_AS_INPUT_SINCE
                ? g.node("ReduceMax", prefix + "/max", List.of(abs), OnnxProtos.intsAttribute("axes", -1),
                OnnxProtos.intAttribute("keepdims", 1))
                : g.node("ReduceMax", prefix + "/max", List.of(abs, g.initializer(OnnxProtos.longTensor(prefix
                + "/axes", new long[] {-1}, 1))), OnnxProtos.intAttribute("keepdims", 1));
        String range = g.node("Max", prefix + "/range", max, g.scalar(prefix + "/min_range", MIN_RANGE));
        String scale = g.node("Div", prefix + "/scale", range, g.scalar(prefix + "/levels", LEVELS));
        String rounded = g.node("Round", prefix + "/rounded", g.node("Div", prefix + "/scaled", input, scale));
        String shifted = g.node("Add", prefix + "/shifted", rounded, g.scalar(prefix + "/offset", 128f));
        String values = g.node("Cast", prefix + "/uint8", List.of(shifted),
                OnnxProtos.intAttribute("to", TensorProto.DataType.UINT8_VALUE));
        String zero = g.initializer(byteTensor(prefix + "/zero_point", TensorProto.DataType.UINT8, new byte[] {
            (byte) 128}));
        return new String[] {values, scale, zero};
    }

    /** Symmetric per-column int8 weights [k, n] and their float scales [n], as initializers. */
    private static String[] quantiseColumns(GraphFragment g, TensorProto weight, String prefix) {
        int k = (int) weight.getDims(0);
        int n = (int) weight.getDims(1);
        float[] w = OnnxProtos.floats(weight);
        float[] scales = new float[n];
        for (int c = 0; c < n; c++) {
            float max = 0f;
            for (int r = 0; r < k; r++) {
                max = Math.max(max, Math.abs(w[r * n + c]));
            }
            scales[c] = Math.max(max, MIN_RANGE) / LEVELS;
        }
        byte[] q = new byte[k * n];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < n; c++) {
                q[r * n + c] = (byte) Math.max(-127, Math.min(127, Math.round(w[r * n + c] / scales[c])));
            }
        }
        String values = g.initializer(byteTensor(prefix + "/int8", TensorProto.DataType.INT8, q, k, n));
        String scale = g.initializer(OnnxProtos.floatTensor(prefix + "/scale", scales, n));
        return new String[] {values, scale};
    }

    private static TensorProto byteTensor(String name, TensorProto.DataType type, byte[] values, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(ByteString.copyFrom(values)).build();
    }
}
