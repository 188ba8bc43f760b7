package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.rewardstream.head.Activation;
import io.rewardstream.head.HeadWeights;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HeadOnnxTest {

    static Stream<Arguments> heads() {
        return Stream.of(
                Arguments.of("linear", TestHeads.random(1, Activation.NONE, 12, 1)),
                Arguments.of("linear, RELU recorded", TestHeads.random(2, Activation.RELU, 12, 1)),
                Arguments.of("2 layers RELU", TestHeads.random(3, Activation.RELU, 12, 8, 1)),
                Arguments.of("2 layers TANH", TestHeads.random(4, Activation.TANH, 12, 8, 1)),
                Arguments.of("2 layers NONE", TestHeads.random(5, Activation.NONE, 12, 8, 1)),
                Arguments.of("3 layers TANH", TestHeads.random(6, Activation.TANH, 12, 8, 4, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void shouldReadBackExactlyTheWeightsItWrote(String description, HeadWeights head) {
        // Given a head written as ONNX
        byte[] onnx = HeadOnnx.write(head, 12);

        // When it is read back
        HeadWeights read = HeadOnnx.read(onnx);

        // Then every weight, bias and the activation are equal
        assertThat(read).isEqualTo(head);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void shouldGiveTheJavaForwardPassRewardsInOnnxRuntime(String description, HeadWeights head) throws Exception {
        // Given a head model and a batch of features
        float[][] features = randomFeatures(new Random(42), 5, 12);

        // When ONNX Runtime runs it
        float[] onnxRewards = OrtRunner.column(
                OrtRunner.run(HeadOnnx.write(head, 12), Map.of(HeadOnnx.INPUT, features), HeadOnnx.OUTPUT));

        // Then the rewards equal the Java forward pass
        float[] javaRewards = TestHeads.forward(head, features);
        for (int i = 0; i < javaRewards.length; i++) {
            assertThat(onnxRewards[i]).as("row %d", i).isCloseTo(javaRewards[i], within(1e-6f));
        }
    }

    @Test
    void shouldRefuseToWriteAHeadWhoseWidthIsNotTheFeatureWidth() {
        HeadWeights head = TestHeads.random(1, Activation.NONE, 12, 1);

        assertThatThrownBy(() -> HeadOnnx.write(head, 13))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 12 features");
    }

    @Test
    void shouldRefuseAGraphItDidNotWrite() {
        // Given a model from features to reward through a Sigmoid, not a dense layer
        GraphProto graph = GraphProto.newBuilder()
                .addInput(OnnxProtos.tensorInfo(HeadOnnx.INPUT, TensorProto.DataType.FLOAT, "batch", 1))
                .addOutput(OnnxProtos.tensorInfo(HeadOnnx.OUTPUT, TensorProto.DataType.FLOAT, "batch", 1))
                .addNode(OnnxProtos.node("Sigmoid", "sigmoid", List.of(HeadOnnx.INPUT), HeadOnnx.OUTPUT))
                .build();
        byte[] onnx = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)).build().toByteArray();

        // When it is read, then it is refused with the reason
        assertThatThrownBy(() -> HeadOnnx.read(onnx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a reward head written by HeadOnnx")
                .hasMessageContaining("expected MatMul after features, found Sigmoid");
    }

    @Test
    void shouldRefuseBytesThatAreNotAnOnnxModel() {
        byte[] notOnnx = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThatThrownBy(() -> HeadOnnx.read(notOnnx))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
    }

    static float[][] randomFeatures(Random random, int rows, int width) {
        float[][] features = new float[rows][width];
        for (float[] row : features) {
            for (int i = 0; i < width; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return features;
    }
}
