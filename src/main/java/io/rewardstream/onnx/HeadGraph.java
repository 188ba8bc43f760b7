package io.rewardstream.onnx;

import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;

/** Writes the reward head's layers as MatMul + Add nodes, with the hidden activation between them. */
final class HeadGraph {

    /** Prefix of every node and initializer name the head adds. */
    static final String PREFIX = "head/";

    private HeadGraph() {
    }

    /** Adds the head, reading {@code input} [batch, in] and writing {@code output} [batch, 1]. */
    static void append(GraphFragment graph, HeadWeights head, String input, String output) {
        String current = input;
        int last = head.layers().size() - 1;
        for (int i = 0; i <= last; i++) {
            DenseLayer layer = head.layers().get(i);
            String w = graph.initializer(OnnxProtos.floatTensor(PREFIX + "W" + i, layer.weights(), layer.in(), layer.out()));
            String b = graph.initializer(OnnxProtos.floatTensor(PREFIX + "b" + i, layer.bias(), layer.out()));
            String product = graph.node("MatMul", PREFIX + "matmul" + i, current, w);
            current = graph.node("Add", i == last ? output : PREFIX + "dense" + i, product, b);
            if (i < last && head.hidden() != Activation.NONE) {
                current = graph.node(opType(head.hidden()), PREFIX + opType(head.hidden()).toLowerCase() + i, current);
            }
        }
    }

    static String opType(Activation activation) {
        return switch (activation) {
            case RELU -> "Relu";
            case TANH -> "Tanh";
            case NONE -> throw new IllegalArgumentException("NONE has no node");
        };
    }
}
