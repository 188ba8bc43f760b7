package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * Moves the heavy half of the encoder's pooling into its graph: the same encoder with one output, the sum of each
 * text's hidden states under its attention mask, float [batch, hidden]. A session then hands back one vector per text
 * instead of [batch, seq, hidden] values to be copied out of the runtime and summed in Java (on a CPU that copy and
 * the Java loop were the largest cost around the model, docs/scorer.md "Benchmark"; on a GPU only the sums cross to the
 * host). {@link MeanPooling#fromSums} finishes the pooling: divide by the token count, normalise.
 *
 * <p>The sum is taken as a running sum along the sequence (CumSum, then its last position), not with ReduceSum:
 * ONNX Runtime's ReduceSum adds the tokens in an order that depends on how many there are, so a text padded to a
 * longer batch mate would get a vector different in its last bits. The running sum adds the tokens in sequence order,
 * as {@link MeanPooling#pool(float[], long[], int, int, int)} does, and the padding's zeros change nothing: a text's
 * vector is the same bits whatever shares its batch, and the same bits as pooling in Java.
 */
public final class PooledEncoderGraph {

    /** Name of the rewritten graph's only output: float [batch, hidden], the masked sums of the hidden states. */
    public static final String OUTPUT = "rewardstream_masked_sum";

    private PooledEncoderGraph() {
    }

    /**
     * @throws IllegalArgumentException when the encoder has no float [batch, seq, hidden] output to pool, inputs other
     *                                  than input_ids, attention_mask and token_type_ids, an ai.onnx opset before 11
     *                                  or weights in external files (the checks of the export)
     */
    public static byte[] rewrite(byte[] encoderOnnx) {
        ModelProto model = OnnxProtos.parse(encoderOnnx);
        EncoderGraph encoder = EncoderGraph.of(model);
        GraphProto.Builder graph = model.getGraph().toBuilder();
        GraphFragment g = new GraphFragment(encoder.opset(), GraphFragment.namesIn(graph));
        String prefix = OUTPUT + "/";
        String maskFloat = g.node("Cast", prefix + "mask_float", List.of(EncoderGraph.ATTENTION_MASK),
                OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE));
        String mask3d = g.unsqueeze(prefix + "mask_3d", maskFloat, 2);
        String masked = g.node("Mul", prefix + "masked", encoder.hiddenOutput(), mask3d);
        String runningSum = g.node("CumSum", prefix + "running_sum", masked,
                g.initializer(OnnxProtos.longTensor(prefix + "sequence_axis", new long[] {1})));
        String output = g.node("Gather", OUTPUT, List.of(runningSum,
                g.initializer(OnnxProtos.longTensor(prefix + "last_position", new long[] {-1}))),
                OnnxProtos.intAttribute("axis", 1));
        g.addTo(graph);
        Object width = encoder.hiddenSize() > 0 ? (Object) encoder.hiddenSize() : "hidden";
        graph.clearOutput().addOutput(OnnxProtos.tensorInfo(output, TensorProto.DataType.FLOAT, "batch", width));
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }
}
