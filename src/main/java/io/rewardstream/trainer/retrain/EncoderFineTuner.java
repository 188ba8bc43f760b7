package io.rewardstream.trainer.retrain;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.HeadWeights;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Trains the encoder itself with a linear head on pair texts (the joint layout: one sequence per prompt and
 * response): the trainer's slow path, beside the head-only retrains on cached features.
 */
public interface EncoderFineTuner {

    /**
     * What a fine-tune produced.
     *
     * @param encoder the trained encoder, written back into an ONNX graph
     * @param head    the linear head over the encoder's pooled vector
     */
    record FineTuned(EncoderSource encoder, HeadWeights head) {
    }

    /**
     * @param validation pairs for early stopping, never trained on
     * @param stop       true once the trainer shuts down: the tuner returns early (its result is then discarded)
     */
    FineTuned fineTune(List<PairTexts> train, List<PairTexts> validation, BooleanSupplier stop);
}
