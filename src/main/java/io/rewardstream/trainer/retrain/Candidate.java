package io.rewardstream.trainer.retrain;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.evaluation.PairedComparison;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.head.HeadWeights;

/**
 * A freshly trained head and how it and the live model did on the same held-out pairs.
 *
 * @param liveAccuracy the live model's held-out accuracy, or null when there was no live model
 * @param rewardMean   mean reward over the training pairs (normalisation)
 * @param rewardStd    reward standard deviation over the training pairs
 * @param trained      the trained encoder of a fine-tuned candidate, open for scoring; null for a head trained on
 *                     the frozen encoder's cached features
 * @param versusLive   the candidate against the live model pair by pair on the held-out pairs; null without a live
 *                     model, or when the two could not be scored on the same pairs
 */
public record Candidate(HeadWeights head, int featureWidth, PairwiseMetrics heldOut, Double liveAccuracy,
                        double temperature, double rewardMean, double rewardStd, TrainingSnapshot snapshot,
                        double trainSeconds, TrainedEncoder trained, PairedComparison versusLive) {

    /**
     * A fine-tuned encoder with the scorer that evaluated it (it becomes the live model's on promotion).
     *
     * @param source the encoder written back into an ONNX graph
     * @param scorer its open session with the candidate's head
     */
    public record TrainedEncoder(EncoderSource source, TextScorer scorer) {
    }

    /** Frees a rejected fine-tuned candidate's session. */
    public void discard() {
        if (trained != null) {
            trained.scorer().close();
        }
    }
}
