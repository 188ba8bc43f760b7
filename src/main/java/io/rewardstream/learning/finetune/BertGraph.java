package io.rewardstream.learning.finetune;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.encoder.EncoderLoadException;
import io.rewardstream.onnx.OnnxTensors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A BERT-family ONNX encoder export read for fine-tuning: its sizes, which hidden states it outputs, and where each
 * parameter is stored. Biases, LayerNorms and embedding tables are initializers named as in Hugging Face (an
 * optional prefix such as {@code bert.} is allowed); the weight matrices usually are not ({@code onnx::MatMul_787})
 * and are found as the MatMul input whose output the Add of the named bias reads.
 *
 * <p>{@link #withWeights} writes new values into the same initializers and keeps every node, input and output, so
 * ONNX Runtime serves the result exactly as it served the original.
 */
public final class BertGraph {

    private final String encoder;
    private final ModelProto model;
    private final BertShape shape;
    private final EncoderOutput output;
    private final boolean readsTokenTypes;
    private final Map<String, String> initializerOf;

    private BertGraph(String encoder, ModelProto model, BertShape shape, EncoderOutput output,
                      Map<String, String> initializerOf) {
        this.encoder = encoder;
        this.model = model;
        this.shape = shape;
        this.output = output;
        this.readsTokenTypes = model.getGraph().getInputList().stream()
                .anyMatch(i -> i.getName().equals("token_type_ids"));
        this.initializerOf = initializerOf;
    }

    /**
     * Reads and checks an encoder graph.
     *
     * @param encoder the encoder's name, for messages
     * @throws EncoderLoadException when the graph is not this BERT family, naming what does not fit (a quantised or
     *                              fused operator, a missing or misshapen tensor, an output that is not a layer's)
     */
    public static BertGraph read(String encoder, byte[] onnx) {
        ModelProto model;
        try {
            model = OnnxTensors.parse(onnx);
        } catch (IllegalArgumentException e) {
            throw new EncoderLoadException("encoder " + encoder + ": " + e.getMessage(), e);
        }
        GraphProto graph = model.getGraph();
        SupportedOps.check(encoder, graph);
        BertLayout layout = new BertLayout(encoder, new GraphIndex(graph));
        BertShape shape = layout.shape();
        Map<String, String> initializerOf = layout.initializerNames(shape);
        EncoderOutput output = layout.output(graph, shape.layers());
        return new BertGraph(encoder, model, shape, output, initializerOf);
    }

    public BertShape shape() {
        return shape;
    }

    public EncoderOutput output() {
        return output;
    }

    /**
     * Whether the graph takes a token_type_ids input; one that does not is served with type 0 for every token
     * (ONNX Runtime is given no types), so training must ignore the sequences' type ids too.
     */
    public boolean readsTokenTypes() {
        return readsTokenTypes;
    }

    /** The encoder's current parameter values. */
    public BertWeights weights() {
        Map<String, TensorProto> byName = new HashMap<>();
        model.getGraph().getInitializerList().forEach(t -> byName.put(t.getName(), t));
        Map<String, float[]> values = new LinkedHashMap<>();
        initializerOf.forEach((param, init) -> values.put(param, OnnxTensors.floats(byName.get(init))));
        return BertWeights.of(shape, values);
    }

    /**
     * The serialised graph with {@code weights} in place of its parameters; nothing else changes.
     *
     * @throws IllegalArgumentException when the weights are for an encoder of another shape
     */
    public byte[] withWeights(BertWeights weights) {
        if (!weights.shape().equals(shape)) {
            throw new IllegalArgumentException("weights of an encoder shaped " + weights.shape()
                    + " cannot be written into encoder " + encoder + " shaped " + shape);
        }
        Map<String, String> paramOf = new HashMap<>();
        initializerOf.forEach((param, init) -> paramOf.put(init, param));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            String param = paramOf.get(graph.getInitializer(i).getName());
            if (param != null) {
                graph.setInitializer(i, OnnxTensors.withFloats(graph.getInitializer(i), weights.get(param)));
            }
        }
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    @Override
    public String toString() {
        return "BertGraph[" + encoder + ", " + shape + ", " + output + ", " + initializerOf.size()
                + " parameters]";
    }
}
