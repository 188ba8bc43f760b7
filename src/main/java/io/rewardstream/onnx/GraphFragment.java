package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.GraphProtoOrBuilder;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Nodes and initializers being added to a graph, written for one ai.onnx opset version. Each added value gets
 * the name of the node that makes it; a name already used in the graph is refused rather than silently shadowed.
 */
final class GraphFragment {

    /** The first ai.onnx opset where Unsqueeze and ReduceSum take their axes as an input, not an attribute. */
    private static final int AXES_AS_INPUT_SINCE = 13;

    private final int opset;
    private final Set<String> usedNames;
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();

    GraphFragment(int opset, Set<String> usedNames) {
        this.opset = opset;
        this.usedNames = new HashSet<>(usedNames);
    }

    /** Adds a node with one output named {@code name} and returns that name. */
    String node(String opType, String name, List<String> inputs, AttributeProto... attributes) {
        claim(name);
        nodes.add(OnnxProtos.node(opType, name, inputs, name, attributes));
        return name;
    }

    String node(String opType, String name, String... inputs) {
        return node(opType, name, Arrays.asList(inputs));
    }

    /** Adds an initializer and returns its name. */
    String initializer(TensorProto tensor) {
        claim(tensor.getName());
        initializers.add(tensor);
        return tensor.getName();
    }

    String scalar(String name, float value) {
        return initializer(OnnxProtos.floatTensor(name, new float[] {value}));
    }

    String unsqueeze(String name, String input, long axis) {
        return withAxes("Unsqueeze", name, input, axis);
    }

    String reduceSum(String name, String input, long axis, boolean keepDims) {
        return withAxes("ReduceSum", name, input, axis, OnnxProtos.intAttribute("keepdims", keepDims ? 1 : 0));
    }

    private String withAxes(String opType, String name, String input, long axis, AttributeProto... more) {
        if (opset < AXES_AS_INPUT_SINCE) {
            List<AttributeProto> attributes = new ArrayList<>(List.of(more));
            attributes.add(OnnxProtos.intsAttribute("axes", axis));
            return node(opType, name, List.of(input), attributes.toArray(AttributeProto[]::new));
        }
        String axes = initializer(OnnxProtos.longTensor(name + "/axes", new long[] {axis}, 1));
        return node(opType, name, List.of(input, axes), more);
    }

    private void claim(String name) {
        if (!usedNames.add(name)) {
            throw new IllegalArgumentException("the graph already uses the name '" + name + "'");
        }
    }

    /** The nodes added since the last call, in order, handed over to the caller (initializers stay here). */
    List<NodeProto> drainNodes() {
        List<NodeProto> drained = List.copyOf(nodes);
        nodes.clear();
        return drained;
    }

    /** Every name a graph already uses: initializers, inputs, nodes and node outputs. */
    static Set<String> namesIn(GraphProtoOrBuilder graph) {
        Set<String> names = new HashSet<>();
        graph.getInitializerList().forEach(t -> names.add(t.getName()));
        graph.getInputList().forEach(v -> names.add(v.getName()));
        for (NodeProto node : graph.getNodeList()) {
            names.add(node.getName());
            names.addAll(node.getOutputList());
        }
        return names;
    }

    /** Appends the nodes and initializers to a graph under construction. */
    void addTo(GraphProto.Builder graph) {
        graph.addAllNode(nodes).addAllInitializer(initializers);
    }
}
