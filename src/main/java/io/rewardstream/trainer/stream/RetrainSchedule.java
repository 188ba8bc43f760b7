package io.rewardstream.trainer.stream;

import java.time.Duration;

/**
 * When the training store retrains.
 *
 * @param interval     how often the punctuator looks for enough new data (training.interval)
 * @param minPairs     training pairs needed before any training (training.min-pairs)
 * @param minNewPairs  pairs that must have arrived since the last training (training.min-new-pairs)
 * @param window       the training window (training.window)
 * @param driftRetrain retrain at once, on the pairs since the estimated change, after a drift alert (drift.retrain)
 */
public record RetrainSchedule(Duration interval, int minPairs, int minNewPairs, Duration window,
                              boolean driftRetrain) {
}
