package io.rewardstream.learning.finetune;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.encoder.EncoderLoadException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operators a BERT export may use for the PyTorch encoder to compute the same function. Quantised graphs, fused
 * kernels (an optimiser's Attention or SkipLayerNormalization), tanh-approximated GELU and RoBERTa-style position
 * ids all bring operators outside this set and are refused.
 */
final class SupportedOps {

    private static final Set<String> ALLOWED = Set.of("Add", "Cast", "Concat", "Constant", "ConstantOfShape", "Div",
            "Equal", "Erf", "Expand", "Gather", "Identity", "LayerNormalization", "MatMul", "Mean", "Mul", "Pow",
            "ReduceMean", "Reshape", "Shape", "Slice", "Softmax", "Sqrt", "Squeeze", "Sub", "Transpose", "Unsqueeze",
            "Where");
    private static final Set<String> QUANTISED = Set.of("MatMulInteger", "DynamicQuantizeLinear",
            "QuantizeLinear", "DequantizeLinear", "QLinearMatMul", "QAttention", "DynamicQuantizeMatMul");

    private SupportedOps() {
    }

    /** @throws EncoderLoadException naming the operators or the stored weights that cannot be fine-tuned */
    static void check(String encoder, GraphProto graph) {
        Set<String> quantised = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        for (NodeProto node : graph.getNodeList()) {
            String op = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? node.getOpType()
                    : node.getDomain() + "." + node.getOpType();
            if (QUANTISED.contains(node.getOpType())) {
                quantised.add(op);
            } else if (!ALLOWED.contains(op)) {
                unknown.add(op);
            }
        }
        if (!quantised.isEmpty()) {
            throw new EncoderLoadException("encoder " + encoder + " cannot be fine-tuned: it is quantised (operators "
                    + quantised + "); fine-tuning needs a float32 BERT export such as all-minilm-l6-v2");
        }
        if (!unknown.isEmpty()) {
            throw new EncoderLoadException("encoder " + encoder + " cannot be fine-tuned: operators " + unknown
                    + " are not part of the BERT architecture the fine-tuning encoder computes");
        }
        graph.getInitializerList().stream()
                .filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL).findFirst()
                .ifPresent(t -> {
                    throw new EncoderLoadException("encoder " + encoder + " cannot be fine-tuned: its weight '"
                            + t.getName() + "' is stored in an external data file; save it as one .onnx file");
                });
    }
}
