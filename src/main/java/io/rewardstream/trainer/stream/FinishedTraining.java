package io.rewardstream.trainer.stream;

import io.rewardstream.trainer.retrain.Candidate;

/**
 * A training that ended on its executor: its candidate, or the failure that stopped it (exactly one is set).
 *
 * @param fineTune whether it was a fine-tune of the encoder rather than a head-only retrain
 */
record FinishedTraining(Candidate candidate, RuntimeException failure, boolean fineTune) {
}
