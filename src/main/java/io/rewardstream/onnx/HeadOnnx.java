package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.head.HeadWeights;
import java.util.Set;

/**
 * The reward head as a small stand-alone ONNX model: input {@value #INPUT} float [batch, featureWidth], output
 * {@value #OUTPUT} float [batch, 1]. {@link #read} parses back exactly what {@link #write} wrote.
 */
public final class HeadOnnx {

    /** Name of the model's input. */
    public static final String INPUT = "features";
    /** Name of the model's output, the raw reward. */
    public static final String OUTPUT = "reward";
    /** The ai.onnx opset the head model imports. */
    public static final int OPSET = 17;
    /** The IR version that goes with {@link #OPSET}. */
    public static final int IR_VERSION = 8;
    /** Metadata key holding the hidden activation, needed to round-trip a one-layer head exactly. */
    static final String ACTIVATION_KEY = "rewardstream.head.activation";

    private HeadOnnx() {
    }

    /** Serialises the head as an ONNX model whose input has {@code featureWidth} columns. */
    public static byte[] write(HeadWeights head, int featureWidth) {
        if (head.inputWidth() != featureWidth) {
            throw new IllegalArgumentException("the head takes " + head.inputWidth()
                    + " features but the feature width is " + featureWidth);
        }
        GraphFragment fragment = new GraphFragment(OPSET, Set.of(INPUT));
        HeadGraph.append(fragment, head, INPUT, OUTPUT);
        GraphProto.Builder graph = GraphProto.newBuilder().setName("reward_head")
                .addInput(OnnxProtos.tensorInfo(INPUT, TensorProto.DataType.FLOAT, "batch", featureWidth))
                .addOutput(OnnxProtos.tensorInfo(OUTPUT, TensorProto.DataType.FLOAT, "batch", 1));
        fragment.addTo(graph);
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("rewardstream")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addMetadataProps(StringStringEntryProto.newBuilder()
                        .setKey(ACTIVATION_KEY).setValue(head.hidden().name()))
                .setGraph(graph)
                .build()
                .toByteArray();
    }

    /**
     * Parses a head model written by {@link #write}.
     *
     * @throws IllegalArgumentException if the bytes are not such a model
     */
    public static HeadWeights read(byte[] onnx) {
        return HeadGraphReader.read(OnnxProtos.parse(onnx));
    }
}
