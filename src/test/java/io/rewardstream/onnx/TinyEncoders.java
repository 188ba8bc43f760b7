package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Hand-built encoder graphs small enough to check by hand, at ai.onnx opset 17. */
public final class TinyEncoders {

    public static final int VOCAB = 30000;
    public static final int HIDDEN = 4;

    private TinyEncoders() {
    }

    /** A seeded [VOCAB, HIDDEN] embedding table; the encoder's output is its rows gathered by token id. */
    public static float[] embeddingTable(long seed) {
        Random random = new Random(seed);
        float[] table = new float[VOCAB * HIDDEN];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) random.nextGaussian();
        }
        return table;
    }

    /**
     * An encoder without token_type_ids whose float [batch, seq, HIDDEN] output is named {@code output}:
     * Gather(embedding, input_ids).
     */
    public static byte[] embeddingLookup(float[] table, String output) {
        return embeddingLookup(table, VOCAB, output);
    }

    /**
     * An embedding lookup over the first {@code vocab} token ids only: ONNX Runtime fails the whole call when a
     * text has a token with a larger id. {@code table} holds {@code vocab * HIDDEN} floats.
     */
    public static byte[] embeddingLookup(float[] table, int vocab, String output) {
        GraphProto graph = inputsWithoutTokenTypes()
                .addInitializer(OnnxProtos.floatTensor("embedding", Arrays.copyOf(table, vocab * HIDDEN),
                        vocab, HIDDEN))
                .addNode(OnnxProtos.node("Gather", "lookup", List.of("embedding", "input_ids"), output))
                .addOutput(OnnxProtos.tensorInfo(output, TensorProto.DataType.FLOAT, "batch", "seq", HIDDEN))
                .build();
        return model(graph);
    }

    /**
     * Like {@link #embeddingLookup}, plus a second output "pooler_output" = Mul(hidden states, "pooler_scale") that
     * the export does not need.
     */
    static byte[] withPoolerOutput(float[] table) {
        ModelProto model = OnnxProtos.parse(embeddingLookup(table, "last_hidden_state"));
        GraphProto graph = model.getGraph().toBuilder()
                .addInitializer(OnnxProtos.floatTensor("pooler_scale", new float[] {2f}))
                .addNode(OnnxProtos.node("Mul", "pooler", List.of("last_hidden_state", "pooler_scale"), "pooler_output"))
                .addOutput(OnnxProtos.tensorInfo("pooler_output", TensorProto.DataType.FLOAT, "batch", "seq", HIDDEN))
                .build();
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    /** Like {@link #embeddingLookup} but its table is said to live in an external data file. */
    static byte[] withExternalWeights() {
        ModelProto model = OnnxProtos.parse(embeddingLookup(new float[VOCAB * HIDDEN], "last_hidden_state"));
        TensorProto external = model.getGraph().getInitializer(0).toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL).build();
        return model.toBuilder().setGraph(model.getGraph().toBuilder().setInitializer(0, external))
                .build().toByteArray();
    }

    /**
     * A two-layer encoder named as Hugging Face exports name BERT layers: layer 0 is the embedding lookup, layer 1
     * multiplies it by 3 and is the graph output "last_hidden_state". The mean of the two layers is twice the
     * lookup.
     */
    static byte[] twoNamedLayers(float[] table) {
        GraphProto graph = inputsWithoutTokenTypes()
                .addInitializer(OnnxProtos.floatTensor("embedding", table, VOCAB, HIDDEN))
                .addInitializer(OnnxProtos.floatTensor("three", new float[] {3f}))
                .addNode(OnnxProtos.node("Gather", "/encoder/layer.0/output/LayerNorm/Add_1",
                        List.of("embedding", "input_ids"), "/encoder/layer.0/output/LayerNorm/Add_1_output_0"))
                .addNode(OnnxProtos.node("Mul", "/encoder/layer.1/output/LayerNorm/Add_1",
                        List.of("/encoder/layer.0/output/LayerNorm/Add_1_output_0", "three"), "last_hidden_state"))
                .addOutput(OnnxProtos.tensorInfo("last_hidden_state", TensorProto.DataType.FLOAT, "batch", "seq", HIDDEN))
                .build();
        return model(graph);
    }

    /** An encoder whose only output is float [batch, seq]: nothing to pool. */
    public static byte[] withoutHiddenStates() {
        GraphProto graph = inputsWithoutTokenTypes()
                .addNode(OnnxProtos.node("Cast", "cast", List.of("input_ids"), "sentence_embedding",
                        OnnxProtos.intAttribute("to", TensorProto.DataType.FLOAT_VALUE)))
                .addOutput(OnnxProtos.tensorInfo("sentence_embedding", TensorProto.DataType.FLOAT, "batch", "seq"))
                .build();
        return model(graph);
    }

    private static GraphProto.Builder inputsWithoutTokenTypes() {
        return GraphProto.newBuilder().setName("tiny_encoder")
                .addInput(OnnxProtos.tensorInfo("input_ids", TensorProto.DataType.INT64, "batch", "seq"))
                .addInput(OnnxProtos.tensorInfo("attention_mask", TensorProto.DataType.INT64, "batch", "seq"));
    }

    private static byte[] model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .build().toByteArray();
    }

    /** What {@link #embeddingLookup} computes, in Java. */
    static float[][][] lookup(float[] table, long[][] ids) {
        float[][][] hidden = new float[ids.length][][];
        for (int row = 0; row < ids.length; row++) {
            hidden[row] = new float[ids[row].length][HIDDEN];
            for (int t = 0; t < ids[row].length; t++) {
                System.arraycopy(table, (int) ids[row][t] * HIDDEN, hidden[row][t], 0, HIDDEN);
            }
        }
        return hidden;
    }
}
