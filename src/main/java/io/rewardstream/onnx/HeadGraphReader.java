package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a head graph from its input to its output, expecting MatMul, Add and an optional activation per layer,
 * and rebuilds the weights from the initializers. Anything else is refused.
 */
final class HeadGraphReader {

    private final Map<String, NodeProto> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final List<DenseLayer> layers = new ArrayList<>();
    private Activation activation;
    private int visited;

    private HeadGraphReader(GraphProto graph) {
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (NodeProto node : graph.getNodeList()) {
            if (node.getInputCount() > 0 && consumers.put(node.getInput(0), node) != null) {
                throw refuse("value " + node.getInput(0) + " feeds more than one node");
            }
        }
    }

    static HeadWeights read(ModelProto model) {
        GraphProto graph = model.getGraph();
        if (graph.getInputCount() != 1 || !graph.getInput(0).getName().equals(HeadOnnx.INPUT)
                || graph.getOutputCount() != 1 || !graph.getOutput(0).getName().equals(HeadOnnx.OUTPUT)) {
            throw refuse("expected one input '" + HeadOnnx.INPUT + "' and one output '" + HeadOnnx.OUTPUT + "'");
        }
        HeadGraphReader reader = new HeadGraphReader(graph);
        reader.walk();
        if (reader.visited != graph.getNodeCount()) {
            throw refuse("the graph has " + graph.getNodeCount() + " nodes, only " + reader.visited + " form the head");
        }
        Activation hidden = reader.activation != null ? reader.activation
                : reader.layers.size() == 1 ? storedActivation(model) : Activation.NONE;
        return new HeadWeights(reader.layers, hidden);
    }

    private void walk() {
        String current = HeadOnnx.INPUT;
        while (!current.equals(HeadOnnx.OUTPUT)) {
            if (!layers.isEmpty()) {
                current = activation(current);
            }
            NodeProto matMul = expect(current, "MatMul");
            NodeProto add = expect(matMul.getOutput(0), "Add");
            TensorProto weights = initializer(matMul, 2);
            TensorProto bias = initializer(add, 1);
            layers.add(new DenseLayer((int) weights.getDims(0), (int) weights.getDims(1),
                    OnnxProtos.floats(weights), OnnxProtos.floats(bias)));
            current = add.getOutput(0);
        }
    }

    private String activation(String current) {
        NodeProto next = consumers.get(current);
        Activation found = next == null ? null : switch (next.getOpType()) {
            case "Relu" -> Activation.RELU;
            case "Tanh" -> Activation.TANH;
            default -> Activation.NONE;
        };
        if (found == null) {
            throw refuse("value " + current + " leads nowhere");
        }
        if (activation != null && activation != found) {
            throw refuse("hidden layers use both " + activation + " and " + found);
        }
        activation = found;
        if (found == Activation.NONE) {
            return current;
        }
        visited++;
        return next.getOutput(0);
    }

    private NodeProto expect(String input, String opType) {
        NodeProto node = consumers.get(input);
        if (node == null || !node.getOpType().equals(opType) || node.getInputCount() != 2) {
            throw refuse("expected " + opType + " after " + input + ", found "
                    + (node == null ? "nothing" : node.getOpType()));
        }
        visited++;
        return node;
    }

    private TensorProto initializer(NodeProto node, int rank) {
        TensorProto t = initializers.get(node.getInput(1));
        if (t == null || t.getDimsCount() != rank) {
            throw refuse(node.getOpType() + " " + node.getName() + " needs a rank-" + rank + " initializer");
        }
        return t;
    }

    private static Activation storedActivation(ModelProto model) {
        return model.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals(HeadOnnx.ACTIVATION_KEY))
                .map(StringStringEntryProto::getValue)
                .map(Activation::valueOf)
                .findFirst()
                .orElse(Activation.NONE);
    }

    private static IllegalArgumentException refuse(String reason) {
        return new IllegalArgumentException("not a reward head written by HeadOnnx: " + reason);
    }
}
