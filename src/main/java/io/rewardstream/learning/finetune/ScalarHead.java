package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/** The reward head on the pooled vector: r = w . x + b, with gradients attached to w and b. */
final class ScalarHead {

    private final NDArray weight;
    private final NDArray bias;

    private ScalarHead(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    /** A head holding copies of the given values, in {@code manager} (not in any open NDScope). */
    static ScalarHead of(float[] weights, float bias, NDManager manager) {
        NDArray w = manager.create(weights, new Shape(weights.length));
        NDArray b = manager.create(new float[] {bias}, new Shape(1));
        w.setName("head.weight");
        b.setName("head.bias");
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        NDScope.unregister(w, b);
        return new ScalarHead(w, b);
    }

    /** [batch] rewards of [batch, hidden] pooled vectors. */
    NDArray scores(NDArray pooled) {
        return pooled.matMul(weight).add(bias);
    }

    NDArray weight() {
        return weight;
    }

    NDArray bias() {
        return bias;
    }
}
