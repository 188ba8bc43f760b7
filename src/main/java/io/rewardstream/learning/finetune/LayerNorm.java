package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last axis with BERT's epsilon. */
final class LayerNorm {

    /** The epsilon of BERT's LayerNorms (Hugging Face's {@code layer_norm_eps} for BERT and MiniLM). */
    static final float EPSILON = 1e-12f;

    private LayerNorm() {
    }

    static NDArray apply(NDArray x, NDArray gamma, NDArray beta) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, EPSILON)
                .singletonOrThrow();
    }
}
