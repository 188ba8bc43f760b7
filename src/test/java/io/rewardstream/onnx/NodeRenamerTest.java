package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRenamerTest {

    @Test
    void shouldRenameValuesInsideSubgraphsAndKeepSharedAndOmittedNames() {
        // Given an If node whose branch reads an outer value and a shared weight, with an omitted optional input
        GraphProto branch = GraphProto.newBuilder().setName("then")
                .addNode(OnnxProtos.node("Add", "inner_add", List.of("x", "weight"), "inner_out"))
                .addOutput(OnnxProtos.tensorInfo("inner_out", TensorProto.DataType.FLOAT))
                .build();
        NodeProto ifNode = NodeProto.newBuilder().setOpType("If").setName("branch").addInput("condition")
                .addInput("").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(branch))
                .build();

        // When it is copied with a "prompt/" prefix that spares the weight
        NodeProto copy = new NodeRenamer(name -> name.equals("weight") ? name : "prompt/" + name).copy(ifNode);

        // Then the node, its values and the branch's values are prefixed; the weight and the empty name are not
        assertThat(copy.getName()).isEqualTo("prompt/branch");
        assertThat(copy.getInputList()).containsExactly("prompt/condition", "");
        assertThat(copy.getOutputList()).containsExactly("prompt/y");
        NodeProto inner = copy.getAttribute(0).getG().getNode(0);
        assertThat(inner.getName()).isEqualTo("prompt/inner_add");
        assertThat(inner.getInputList()).containsExactly("prompt/x", "weight");
        assertThat(copy.getAttribute(0).getG().getOutput(0).getName()).isEqualTo("prompt/inner_out");
    }
}
