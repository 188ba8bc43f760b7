package io.rewardstream.learning.finetune;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.onnx.OnnxTensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Lookups over an ONNX graph: initializers by name, the node producing a value, the nodes reading one. */
final class GraphIndex {

    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();

    GraphIndex(GraphProto graph) {
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (NodeProto node : graph.getNodeList()) {
            node.getOutputList().forEach(out -> producers.put(out, node));
            node.getInputList().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node));
        }
    }

    Set<String> initializerNames() {
        return initializers.keySet();
    }

    Optional<TensorProto> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    Optional<NodeProto> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** The one node of {@code opType} that reads {@code value}, if exactly one does. */
    Optional<NodeProto> soleConsumer(String value, String opType) {
        List<NodeProto> matching = consumers(value).stream().filter(n -> n.getOpType().equals(opType)).toList();
        return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
    }

    /** The int64 values of an initializer or a Constant node's tensor; empty for a value computed at run time. */
    Optional<long[]> constantLongs(String value) {
        TensorProto init = initializers.get(value);
        if (init != null) {
            return longsOf(init);
        }
        NodeProto node = producers.get(value);
        if (node == null || !node.getOpType().equals("Constant")) {
            return Optional.empty();
        }
        return node.getAttributeList().stream().filter(AttributeProto::hasT).findFirst()
                .flatMap(a -> longsOf(a.getT()));
    }

    /**
     * The dims a Reshape target holds, -1 for each one computed at run time: a constant, or a Concat of one-element
     * parts (how exporters build [batch, seq, heads, head size] from the input's shape).
     */
    Optional<long[]> shapeDims(String value) {
        Optional<long[]> constant = constantLongs(value);
        NodeProto node = producers.get(value);
        if (constant.isPresent() || node == null || !node.getOpType().equals("Concat")) {
            return constant;
        }
        long[] dims = new long[node.getInputCount()];
        for (int i = 0; i < dims.length; i++) {
            long[] part = constantLongs(node.getInput(i)).orElse(new long[] {-1});
            if (part.length != 1) {
                return Optional.empty();
            }
            dims[i] = part[0];
        }
        return Optional.of(dims);
    }

    private static Optional<long[]> longsOf(TensorProto tensor) {
        return tensor.getDataType() == TensorProto.DataType.INT64_VALUE ? Optional.of(OnnxTensors.longs(tensor))
                : Optional.empty();
    }
}
