package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import io.rewardstream.onnx.MeanPooling;

/**
 * The encoder's pooling on NDArrays, with gradients: the attention-masked mean over the sequence, then L2
 * normalisation, with the same lower bounds as {@link MeanPooling}, which pools what ONNX Runtime serves.
 */
final class MaskedMeanPooling {

    private MaskedMeanPooling() {
    }

    /**
     * @param hidden [batch, seq, hidden] states
     * @param mask   float32 [batch, seq], 1 for real tokens and 0 for padding
     * @return [batch, hidden] unit-length vectors
     */
    static NDArray pool(NDArray hidden, NDArray mask) {
        NDArray sum = hidden.mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray count = mask.sum(new int[] {1}, true).maximum(MeanPooling.MIN_COUNT);
        NDArray mean = sum.div(count);
        NDArray norm = mean.square().sum(new int[] {1}, true).sqrt().maximum(MeanPooling.MIN_NORM);
        return mean.div(norm);
    }
}
