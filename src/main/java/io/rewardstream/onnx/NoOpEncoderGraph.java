package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;
import java.util.List;

/**
 * The smallest real encoder graph: it takes the inputs a BERT encoder takes and returns float [batch, seq, hidden]
 * hidden states (the attention mask times a constant vector), at almost no cost. Serving it measures everything
 * around the model (Kafka, Avro, tokenization, tensors, the session call, pooling, batching, commits) with the
 * model's own cost taken out: the pipeline's ceiling.
 */
public final class NoOpEncoderGraph {

    /** The output's name, as Hugging Face's exports name it. */
    public static final String OUTPUT = "last_hidden_state";

    private NoOpEncoderGraph() {
    }

    /** @param hidden the width of the hidden states (that of the encoder it stands in for, so heads still fit) */
    public static byte[] build(int hidden) {
        float[] values = new float[hidden];
        Arrays.fill(values, 1f / (float) Math.sqrt(hidden));
        GraphProto graph = GraphProto.newBuilder().setName("no-op encoder")
                .addInput(OnnxProtos.tensorInfo("input_ids", TensorProto.DataType.INT64, "batch", "seq"))
                .addInput(OnnxProtos.tensorInfo("attention_mask", TensorProto.DataType.INT64, "batch", "seq"))
                .addInput(OnnxProtos.tensorInfo("token_type_ids", TensorProto.DataType.INT64, "batch", "seq"))
                .addInitializer(OnnxProtos.floatTensor("hidden_values", values, hidden))
                .addNode(OnnxProtos.node("Cast", "mask_float", List.of("attention_mask"), "mask_float",
                        OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)))
                .addNode(OnnxProtos.node("Unsqueeze", "mask_3d", List.of("mask_float"), "mask_3d",
                        OnnxProtos.intsAttribute("axes", 2)))
                .addNode(OnnxProtos.node("Mul", "hidden", List.of("mask_3d", "hidden_values"), OUTPUT))
                .addOutput(OnnxProtos.tensorInfo(OUTPUT, TensorProto.DataType.FLOAT, "batch", "seq", hidden))
                .build();
        return ModelProto.newBuilder().setIrVersion(7).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(11)).build().toByteArray();
    }
}
