package io.rewardstream.learning;

import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.model.ModelMetadata;

/**
 * The outcome of a training run.
 *
 * @param metadata   metadata as written to the model directory
 * @param head       the trained head
 * @param validation metrics on the held-out validation pairs
 * @param stopped    true when a fine-tune was stopped early: its checkpoint was written, no model (the other
 *                   components are then null)
 */
public record TrainingOutcome(ModelMetadata metadata, HeadWeights head, PairwiseMetrics validation, boolean stopped) {

    /** A finished run. */
    public TrainingOutcome(ModelMetadata metadata, HeadWeights head, PairwiseMetrics validation) {
        this(metadata, head, validation, false);
    }

    /** A fine-tune that was stopped before it finished. */
    public static TrainingOutcome stoppedEarly() {
        return new TrainingOutcome(null, null, null, true);
    }
}
