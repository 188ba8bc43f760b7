package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.Map;

/**
 * The arithmetic of one pass of a transformer encoder graph, counted from the graph itself: every MatMul with a
 * constant 2-D weight [k, n] costs 2kn operations per token (a multiply and an add per weight), and each attention
 * layer (one Softmax each) costs 4 s^2 h per sequence of s tokens (scores Q K^T and the weighted sum of V, over all
 * heads). Layer norms, activations and softmax are left out: they are a few per cent of the products.
 *
 * @param flopsPerToken   operations of the weight products per token
 * @param attentionLayers attention layers (Softmax nodes)
 * @param hidden          the width of the attention's inputs
 */
public record EncoderCost(long flopsPerToken, int attentionLayers, int hidden) {

    /** Counts the cost of the graph in {@code onnx} for hidden size {@code hidden}. */
    public static EncoderCost of(byte[] onnx, int hidden) {
        GraphProto graph = OnnxProtos.parse(onnx).getGraph();
        Map<String, TensorProto> weights = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getDimsCount() == 2) {
                weights.put(t.getName(), t);
            }
        }
        long perToken = 0;
        int softmax = 0;
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("MatMul") && node.getInputCount() == 2
                    && weights.containsKey(node.getInput(1))) {
                TensorProto w = weights.get(node.getInput(1));
                perToken += 2L * w.getDims(0) * w.getDims(1);
            } else if (node.getOpType().equals("Softmax")) {
                softmax++;
            }
        }
        return new EncoderCost(perToken, softmax, hidden);
    }

    /** Operations of one sequence of {@code tokens} tokens. */
    public double flops(int tokens) {
        return (double) flopsPerToken * tokens + 4.0 * attentionLayers * hidden * (double) tokens * tokens;
    }
}
