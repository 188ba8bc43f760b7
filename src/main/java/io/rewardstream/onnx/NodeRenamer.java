package io.rewardstream.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.function.UnaryOperator;

/**
 * Copies nodes with every node and value name passed through one renaming, including the names inside subgraphs
 * (If, Loop, Scan bodies), so a copy refers to the same values as the original did under their new names. The
 * empty name, which marks an omitted optional input or output, stays empty.
 */
final class NodeRenamer {

    private final UnaryOperator<String> rename;

    NodeRenamer(UnaryOperator<String> rename) {
        this.rename = name -> name.isEmpty() ? name : rename.apply(name);
    }

    NodeProto copy(NodeProto node) {
        NodeProto.Builder b = node.toBuilder().setName(rename.apply(node.getName()));
        for (int i = 0; i < b.getInputCount(); i++) {
            b.setInput(i, rename.apply(b.getInput(i)));
        }
        for (int i = 0; i < b.getOutputCount(); i++) {
            b.setOutput(i, rename.apply(b.getOutput(i)));
        }
        for (int i = 0; i < b.getAttributeCount(); i++) {
            b.setAttribute(i, copy(b.getAttribute(i)));
        }
        return b.build();
    }

    private AttributeProto copy(AttributeProto attribute) {
        if (!attribute.hasG() && attribute.getGraphsCount() == 0) {
            return attribute;
        }
        AttributeProto.Builder b = attribute.toBuilder();
        if (attribute.hasG()) {
            b.setG(copy(attribute.getG()));
        }
        for (int i = 0; i < b.getGraphsCount(); i++) {
            b.setGraphs(i, copy(b.getGraphs(i)));
        }
        return b.build();
    }

    private GraphProto copy(GraphProto graph) {
        GraphProto.Builder b = graph.toBuilder().clearNode();
        graph.getNodeList().forEach(n -> b.addNode(copy(n)));
        for (int i = 0; i < b.getInputCount(); i++) {
            b.setInput(i, copy(b.getInput(i)));
        }
        for (int i = 0; i < b.getOutputCount(); i++) {
            b.setOutput(i, copy(b.getOutput(i)));
        }
        for (int i = 0; i < b.getValueInfoCount(); i++) {
            b.setValueInfo(i, copy(b.getValueInfo(i)));
        }
        for (int i = 0; i < b.getInitializerCount(); i++) {
            b.setInitializer(i, b.getInitializer(i).toBuilder().setName(rename.apply(b.getInitializer(i).getName())));
        }
        return b.build();
    }

    private ValueInfoProto copy(ValueInfoProto info) {
        return info.toBuilder().setName(rename.apply(info.getName())).build();
    }
}
