package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A transformer encoder checked for export: int64 inputs input_ids and attention_mask (token_type_ids optional,
 * nothing else), a float [batch, seq, hidden] output to pool, and an ai.onnx opset the pooling nodes can be
 * written for. Keeps only the nodes and initializers that output needs.
 */
final class EncoderGraph {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";
    private static final int MIN_OPSET = 11;

    private final ModelProto model;
    private final String hiddenOutput;
    private final long hiddenSize;
    private final int opset;
    private final List<NodeProto> nodes;
    private final List<TensorProto> initializers;

    private EncoderGraph(ModelProto model, ValueInfoProto hidden, int opset) {
        this.model = model;
        this.hiddenOutput = hidden.getName();
        this.hiddenSize = hidden.getType().getTensorType().getShape().getDim(2).getDimValue();
        this.opset = opset;
        this.nodes = nodesFeeding(model.getGraph(), hiddenOutput);
        Set<String> used = referencedNames(nodes);
        this.initializers = model.getGraph().getInitializerList().stream()
                .filter(t -> used.contains(t.getName())).toList();
    }

    /** Checks an encoder model and keeps what its hidden output needs. */
    static EncoderGraph of(ModelProto model) {
        int opset = defaultOpset(model);
        checkInputs(model.getGraph());
        checkWeightsInline(model.getGraph());
        return new EncoderGraph(model, hiddenOutput(model.getGraph()), opset);
    }

    private static int defaultOpset(ModelProto model) {
        int version = model.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToInt(o -> (int) o.getVersion()).findFirst().orElse(0);
        if (version < MIN_OPSET) {
            throw refuse("it imports ai.onnx opset " + version + ", the export needs " + MIN_OPSET + " or later");
        }
        return version;
    }

    private static void checkInputs(GraphProto graph) {
        Set<String> initializerNames = graph.getInitializerList().stream()
                .map(TensorProto::getName).collect(Collectors.toSet());
        Map<String, ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(v -> !initializerNames.contains(v.getName()))
                .collect(Collectors.toMap(ValueInfoProto::getName, Function.identity()));
        for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(required)) {
                throw refuse("it has no input '" + required + "' (inputs: " + inputs.keySet() + ")");
            }
        }
        for (ValueInfoProto input : inputs.values()) {
            if (!List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(input.getName())) {
                throw refuse("its input '" + input.getName() + "' is not one of input_ids, attention_mask, token_type_ids");
            }
            if (OnnxProtos.elemType(input) != TensorProto.DataType.INT64_VALUE) {
                throw refuse("its input '" + input.getName() + "' is not int64");
            }
        }
    }

    private static void checkWeightsInline(GraphProto graph) {
        graph.getInitializerList().stream()
                .filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                .findFirst()
                .ifPresent(t -> {
                    throw refuse("its weight '" + t.getName() + "' is stored in an external data file;"
                            + " save the encoder as one .onnx file with all weights inside");
                });
    }

    private static ValueInfoProto hiddenOutput(GraphProto graph) {
        ValueInfoProto hidden = graph.getOutputList().stream()
                .filter(o -> o.getName().equals(LAST_HIDDEN_STATE)).findFirst()
                .or(() -> graph.getOutputList().stream().filter(o -> OnnxProtos.rank(o) == 3).findFirst())
                .orElseThrow(() -> refuse("it has no output '" + LAST_HIDDEN_STATE
                        + "' and no output of rank 3 [batch, seq, hidden] (outputs: " + outputNames(graph) + ")"));
        if (OnnxProtos.rank(hidden) != 3 || OnnxProtos.elemType(hidden) != TensorProto.DataType.FLOAT_VALUE) {
            throw refuse("its output '" + hidden.getName() + "' is not float [batch, seq, hidden]");
        }
        return hidden;
    }

    private static List<String> outputNames(GraphProto graph) {
        return graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
    }

    /** The nodes, in graph order, that the value depends on. */
    private static List<NodeProto> nodesFeeding(GraphProto graph, String value) {
        Set<String> needed = new HashSet<>(Set.of(value));
        Deque<NodeProto> kept = new ArrayDeque<>();
        List<NodeProto> all = graph.getNodeList();
        for (int i = all.size() - 1; i >= 0; i--) {
            NodeProto node = all.get(i);
            if (node.getOutputList().stream().anyMatch(needed::contains)) {
                kept.addFirst(node);
                needed.addAll(referencedNames(List.of(node)));
            }
        }
        return new ArrayList<>(kept);
    }

    /** Every value name the nodes read, including the outer values their subgraphs read. */
    private static Set<String> referencedNames(List<NodeProto> nodes) {
        Set<String> names = new HashSet<>();
        for (NodeProto node : nodes) {
            names.addAll(node.getInputList());
            node.getAttributeList().forEach(a -> {
                if (a.hasG()) {
                    names.addAll(referencedNames(a.getG().getNodeList()));
                }
                a.getGraphsList().forEach(g -> names.addAll(referencedNames(g.getNodeList())));
            });
        }
        return names;
    }

    private static IllegalArgumentException refuse(String reason) {
        return new IllegalArgumentException("the encoder cannot be exported: " + reason);
    }

    ModelProto model() {
        return model;
    }

    String hiddenOutput() {
        return hiddenOutput;
    }

    /** The hidden size, or 0 when the output's last dimension is symbolic. */
    long hiddenSize() {
        return hiddenSize;
    }

    int opset() {
        return opset;
    }

    List<TensorProto> initializers() {
        return initializers;
    }

    Set<String> initializerNames() {
        return initializers.stream().map(TensorProto::getName).collect(Collectors.toSet());
    }

    /** The needed nodes, renamed. */
    List<NodeProto> copyNodes(NodeRenamer renamer) {
        return nodes.stream().map(renamer::copy).toList();
    }

    List<OperatorSetIdProto> opsetImports() {
        return model.getOpsetImportList();
    }
}
