package io.rewardstream.learning;

/** What a training run reports while it works. */
public interface TrainingProgress {

    /** Encoding: {@code done} of {@code total} sequences. */
    void encoded(int done, int total);

    /** Head training: epoch {@code epoch} of at most {@code maxEpochs} finished. */
    void epoch(int epoch, int maxEpochs, double trainLoss, double validationLoss);

    TrainingProgress SILENT = new TrainingProgress() {
        @Override
        public void encoded(int done, int total) {
        }

        @Override
        public void epoch(int epoch, int maxEpochs, double trainLoss, double validationLoss) {
        }
    };
}
