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
 */
public record TrainingOutcome(ModelMetadata metadata, HeadWeights head, PairwiseMetrics validation) {
}
