package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a BERT-style encoder export so that its one output is the element-wise mean of the hidden states of all
 * its transformer layers instead of the last layer's alone. On the HH-RLHF pairs a Bradley-Terry head on the
 * mean-pooled output is measurably more accurate than on the last layer (README, "Choice of pooling"). The output keeps the hidden size, so
 * features, heads and stores are the same size as before.
 *
 * <p>The layers are found by the node names of Hugging Face's ONNX exports: the closing LayerNorm of layer N is
 * {@code /encoder/layer.N/output/LayerNorm/Add_1}.
 */
public final class LayerMeanGraph {

    /** Name of the rewritten graph's output: float [batch, seq, hidden]. */
    public static final String OUTPUT = "layer_mean_hidden_state";

    private static final Pattern LAYER_OUTPUT = Pattern.compile("/encoder/layer\\.(\\d+)/output/LayerNorm/Add_1");

    private LayerMeanGraph() {
    }

    /**
     * @throws IllegalArgumentException when the graph has fewer than two layer outputs named as above, or no
     *                                  float [batch, seq, hidden] output to take the shape from
     */
    public static byte[] rewrite(byte[] encoderOnnx) {
        ModelProto model = OnnxProtos.parse(encoderOnnx);
        GraphProto graph = model.getGraph();
        TreeMap<Integer, String> layers = new TreeMap<>();
        for (NodeProto node : graph.getNodeList()) {
            Matcher m = LAYER_OUTPUT.matcher(node.getName());
            if (m.matches() && node.getOutputCount() == 1) {
                layers.put(Integer.parseInt(m.group(1)), node.getOutput(0));
            }
        }
        if (layers.size() < 2) {
            throw new IllegalArgumentException("the encoder graph has " + layers.size() + " transformer layer outputs"
                    + " named like /encoder/layer.N/output/LayerNorm/Add_1; averaging layers needs at least two");
        }
        String last = layers.lastEntry().getValue();
        ValueInfoProto hidden = graph.getOutputList().stream()
                .filter(o -> o.getName().equals(last) && OnnxProtos.rank(o) == 3).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the last layer's output " + last
                        + " is not a float [batch, seq, hidden] graph output"));
        TypeProto type = hidden.getType();
        GraphProto rewritten = graph.toBuilder()
                .addNode(NodeProto.newBuilder().setOpType("Mean").setName("mean_of_layers")
                        .addAllInput(List.copyOf(layers.values())).addOutput(OUTPUT))
                .clearOutput()
                .addOutput(ValueInfoProto.newBuilder().setName(OUTPUT).setType(type)
                        .setDocString("mean of the hidden states of layers " + layers.keySet()))
                .build();
        return model.toBuilder().setGraph(rewritten).build().toByteArray();
    }
}
