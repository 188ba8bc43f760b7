package io.rewardstream.learning.finetune;

/**
 * Optimiser and loss settings of a fine-tuning run.
 *
 * @param encoderLearningRate AdamW learning rate of the encoder's parameters
 * @param headLearningRate    AdamW learning rate of the reward head
 * @param weightDecay         decoupled weight decay of weight matrices and embedding tables (biases and
 *                            LayerNorms are not decayed)
 * @param maxGradNorm         clip the global gradient norm to this; 0 turns clipping off
 * @param centering           coefficient of the centering term {@code mean((r_chosen + r_rejected)^2)}; 0 for none
 */
public record FineTuneOptions(float encoderLearningRate, float headLearningRate, float weightDecay,
                              float maxGradNorm, float centering) {

    /** @throws IllegalArgumentException for a negative or non-finite setting, or a zero learning rate */
    public FineTuneOptions {
        requireAtLeastZero("encoderLearningRate", encoderLearningRate);
        requireAtLeastZero("headLearningRate", headLearningRate);
        requireAtLeastZero("weightDecay", weightDecay);
        requireAtLeastZero("maxGradNorm", maxGradNorm);
        requireAtLeastZero("centering", centering);
        if (encoderLearningRate == 0f && headLearningRate == 0f) {
            throw new IllegalArgumentException("at least one learning rate must be positive");
        }
    }

    /** Common fine-tuning settings: 3e-5 for the encoder, 1e-3 for the head, decay 0.01, clipping at 1. */
    public static FineTuneOptions defaults() {
        return new FineTuneOptions(3e-5f, 1e-3f, 0.01f, 1f, 0f);
    }

    private static void requireAtLeastZero(String name, float value) {
        if (!(value >= 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
