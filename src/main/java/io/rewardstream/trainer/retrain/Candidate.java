package io.rewardstream.trainer.retrain;

import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.head.HeadWeights;

/**
 * A freshly trained head and how it and the live model did on the same held-out pairs.
 *
 * @param liveAccuracy the live model's held-out accuracy, or null when there was no live model
 * @param rewardMean   mean reward over the training pairs (normalisation)
 * @param rewardStd    reward standard deviation over the training pairs
 */
public record Candidate(HeadWeights head, int featureWidth, PairwiseMetrics heldOut, Double liveAccuracy,
                        double temperature, double rewardMean, double rewardStd, TrainingSnapshot snapshot,
                        double trainSeconds) {
}
