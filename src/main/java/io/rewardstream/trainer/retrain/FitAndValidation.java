package io.rewardstream.trainer.retrain;

import io.rewardstream.data.Split;
import java.util.ArrayList;
import java.util.List;

/**
 * A training snapshot's pairs split into those fitted on and a validation slice for early stopping and the
 * calibration temperature, by a seeded hash of the event id, so all pairs of one ranking land on the same side.
 */
record FitAndValidation(List<TrainingPair> fit, List<TrainingPair> validation) {

    static final double VALIDATION_FRACTION = 0.1;

    /** With too few pairs for a validation slice, every pair is fitted on and the slice is empty. */
    static FitAndValidation of(List<TrainingPair> pairs, long seed) {
        List<TrainingPair> fit = new ArrayList<>();
        List<TrainingPair> validation = new ArrayList<>();
        for (TrainingPair pair : pairs) {
            String eventId = pair.pairId().substring(0, pair.pairId().lastIndexOf('#'));
            (Split.unitHash(eventId, seed + 1) < VALIDATION_FRACTION ? validation : fit).add(pair);
        }
        return fit.isEmpty() ? new FitAndValidation(validation, List.of()) : new FitAndValidation(fit, validation);
    }
}
