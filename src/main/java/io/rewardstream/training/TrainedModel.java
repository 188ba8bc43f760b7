package io.rewardstream.training;

import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.model.HeadWeights;
import io.rewardstream.model.ModelMetadata;

/**
 * The outcome of a training run.
 *
 * @param metadata   metadata as written to the model directory
 * @param head       the trained head
 * @param validation metrics on the held-out validation pairs
 */
public record TrainedModel(ModelMetadata metadata, HeadWeights head, PairwiseMetrics validation) {
}
