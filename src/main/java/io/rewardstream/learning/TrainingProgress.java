package io.rewardstream.learning;

/** What a training run reports while it works. */
public interface TrainingProgress {

    /** Encoding: {@code done} of {@code total} sequences. */
    void encoded(int done, int total);

    /** Head training: epoch {@code epoch} of at most {@code maxEpochs} finished. */
    void epoch(int epoch, int maxEpochs, double trainLoss, double validationLoss);

    /** Fine-tuning: step {@code step} of {@code steps} in epoch {@code epoch} of at most {@code maxEpochs}. */
    default void fineTuneStep(int epoch, int maxEpochs, int step, int steps, double loss) {
    }

    /** Fine-tuning: an epoch was scored on the validation pairs (epoch 0: the starting point). */
    default void fineTuneEpoch(int epoch, int maxEpochs, double trainLoss, double validationAccuracy,
                               double seconds) {
    }

    TrainingProgress SILENT = new TrainingProgress() {
        @Override
        public void encoded(int done, int total) {
        }

        @Override
        public void epoch(int epoch, int maxEpochs, double trainLoss, double validationLoss) {
        }
    };
}
