package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/** Which hidden states an encoder graph outputs for pooling. */
public enum EncoderOutput {
    /** The last layer's hidden states, as published sentence encoders output them. */
    LAST_LAYER,
    /** The element-wise mean of every layer's hidden states ({@code onnx.LayerMeanGraph}). */
    LAYER_MEAN;

    /** The [batch, seq, hidden] states this output takes from the layers' outputs, first layer first. */
    NDArray select(List<NDArray> layerStates) {
        if (this == LAST_LAYER) {
            return layerStates.get(layerStates.size() - 1);
        }
        return NDArrays.stack(new NDList(layerStates)).mean(new int[] {0});
    }

    /**
     * The same states when only the top layers were run: {@code upper} holds their outputs and {@code lowerSum}
     * the sum of the outputs of the {@code layers - upper.size()} layers below them (used for the layer mean only).
     */
    NDArray select(NDArray lowerSum, List<NDArray> upper, int layers) {
        if (this == LAST_LAYER) {
            return upper.get(upper.size() - 1);
        }
        NDArray sum = lowerSum;
        for (NDArray state : upper) {
            sum = sum.add(state);
        }
        return sum.div((float) layers);
    }
}
