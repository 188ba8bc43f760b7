package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.rewardstream.encoder.EncoderLoadException;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.onnx.LayerMeanGraph;
import io.rewardstream.onnx.OnnxTensors;
import io.rewardstream.onnx.TinyBerts;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BertGraphTest {

    private static final byte[] TINY = TinyBerts.encoder(7);

    @Test
    void shouldReadTheSizesOfABertExportFromItsTensorsAndReshapes() {
        BertGraph graph = BertGraph.read("tiny", TINY);

        assertThat(graph.shape()).isEqualTo(new BertShape(TinyBerts.LAYERS, TinyBerts.HIDDEN, TinyBerts.HEADS,
                TinyBerts.INTERMEDIATE, TinyBerts.VOCAB, TinyBerts.POSITIONS, TinyBerts.TOKEN_TYPES));
        assertThat(graph.output()).isEqualTo(EncoderOutput.LAST_LAYER);
        assertThat(graph.weights().names()).hasSize(5 + 16 * TinyBerts.LAYERS);
    }

    @Test
    void shouldTellALayerMeanGraphFromALastLayerOne() {
        assertThat(BertGraph.read("tiny-mean", LayerMeanGraph.rewrite(TINY)).output())
                .isEqualTo(EncoderOutput.LAYER_MEAN);
    }

    @Test
    void shouldMapEachAnonymousWeightMatrixThroughTheAddOfItsBias() {
        ModelProto model = OnnxTensors.parse(TINY);
        Map<String, float[]> byInitializer = new HashMap<>();
        model.getGraph().getInitializerList().stream().filter(t -> t.getName().startsWith("onnx::MatMul_"))
                .forEach(t -> byInitializer.put(t.getName(), OnnxTensors.floats(t)));
        NodeProto valueMatMul = model.getGraph().getNodeList().stream()
                .filter(n -> n.getName().equals("/encoder/layer/1/attention/self/value/MatMul")).findFirst().orElseThrow();

        float[] value = BertGraph.read("tiny", TINY).weights().get("encoder.layer.1.attention.self.value.weight");

        assertThat(value).containsExactly(byInitializer.get(valueMatMul.getInput(1)));
    }

    @Test
    void shouldWriteNewWeightsIntoTheSameInitializersAndKeepTheRest() {
        BertGraph graph = BertGraph.read("tiny", TINY);
        BertWeights original = graph.weights();
        Map<String, float[]> shifted = new HashMap<>();
        for (String name : original.names()) {
            float[] v = original.get(name).clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.25f;
            }
            shifted.put(name, v);
        }

        byte[] written = graph.withWeights(BertWeights.of(original.shape(), shifted));

        BertWeights reread = BertGraph.read("tiny", written).weights();
        for (String name : original.names()) {
            assertThat(reread.get(name)).as(name).containsExactly(shifted.get(name));
        }
        GraphProto before = OnnxTensors.parse(TINY).getGraph();
        GraphProto after = OnnxTensors.parse(written).getGraph();
        assertThat(after.getNodeList()).isEqualTo(before.getNodeList());
        assertThat(after.getOutputList()).isEqualTo(before.getOutputList());
        assertThat(after.getInitializerCount()).isEqualTo(before.getInitializerCount());
    }

    @Test
    void shouldRefuseAGraphLackingAnExpectedTensorAndNameIt() {
        ModelProto model = OnnxTensors.parse(TINY);
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals("encoder.layer.1.output.LayerNorm.weight")) {
                graph.removeInitializer(i);
                break;
            }
        }
        byte[] broken = model.toBuilder().setGraph(graph).build().toByteArray();

        assertThatThrownBy(() -> BertGraph.read("broken", broken))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("broken").hasMessageContaining("encoder.layer.1.output.LayerNorm.weight");
    }

    @Test
    void shouldRefuseAnOperatorOutsideTheBertArchitectureAndNameIt() {
        ModelProto model = OnnxTensors.parse(TINY);
        GraphProto graph = model.getGraph().toBuilder().addNode(NodeProto.newBuilder().setOpType("Tanh")
                .setName("approximate_gelu").addInput("last_hidden_state").addOutput("unused")).build();

        assertThatThrownBy(() -> BertGraph.read("tanh", model.toBuilder().setGraph(graph).build().toByteArray()))
                .isInstanceOf(EncoderLoadException.class).hasMessageContaining("[Tanh]");
    }

    @Test
    void shouldRefuseTheQuantisedBuiltInEncoder() {
        EncoderSource int8 = EncoderSource.resolve("all-minilm-l6-v2-q");

        assertThatThrownBy(() -> BertGraph.read(int8.name(), int8.onnxBytes()))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("all-minilm-l6-v2-q").hasMessageContaining("quantised")
                .hasMessageContaining("MatMulInteger");
    }

    @Test
    void shouldRefuseBytesThatAreNoOnnxModel() {
        assertThatThrownBy(() -> BertGraph.read("junk", new byte[] {1, 2, 3}))
                .isInstanceOf(EncoderLoadException.class).hasMessageContaining("junk");
    }
}
