package io.rewardstream.learning.finetune;

/**
 * Linear warm-up from 0 to the peak rate over the first {@code warmupSteps}, then linear decay to 0 at
 * {@code totalSteps}: the factor by which the peak rates are multiplied at a step.
 */
record LearningRateSchedule(int totalSteps, int warmupSteps) {

    LearningRateSchedule {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("a schedule needs 0 <= warm-up <= total steps and total >= 1, got "
                    + warmupSteps + " of " + totalSteps);
        }
    }

    /** A schedule of {@code totalSteps} whose warm-up takes {@code fraction} of them, rounded up. */
    static LearningRateSchedule of(int totalSteps, float fraction) {
        return new LearningRateSchedule(totalSteps, (int) Math.ceil(fraction * totalSteps));
    }

    /**
     * The factor for step {@code step} (0-based): (step + 1) / warm-up during the warm-up, so that the first step
     * already moves, then (total - step) / (total - warm-up), which reaches 1 / (total - warm-up) at the last step.
     */
    float factor(int step) {
        if (step < warmupSteps) {
            return (step + 1f) / warmupSteps;
        }
        return Math.max(0f, (float) (totalSteps - step) / (totalSteps - warmupSteps));
    }
}
