package io.rewardstream.trainer.retrain;

/**
 * Decides whether a candidate replaces the live model. Both were measured on the same held-out pairs. The
 * candidate is promoted when its accuracy reaches the floor and is not below the live model's by more than
 * the tolerance (a fresher model of equal quality is preferred: it has seen the newest data).
 */
public record PromotionGate(double tolerance, double floor) {

    /** The decision and why. */
    public record Decision(boolean promote, String reason) {
    }

    public PromotionGate {
        if (tolerance < 0 || floor < 0 || floor > 1) {
            throw new IllegalArgumentException("tolerance >= 0 and floor in [0, 1] are required");
        }
    }

    /** @param liveAccuracy the live model's held-out accuracy, or null when there is none yet */
    public Decision decide(double candidateAccuracy, Double liveAccuracy) {
        if (Double.isNaN(candidateAccuracy)) {
            return new Decision(false, "no held-out pairs to measure the candidate on");
        }
        if (candidateAccuracy < floor) {
            return new Decision(false, String.format("held-out accuracy %.4f is below the floor %.4f",
                    candidateAccuracy, floor));
        }
        if (liveAccuracy != null && candidateAccuracy < liveAccuracy - tolerance) {
            return new Decision(false, String.format(
                    "held-out accuracy %.4f is below the live model's %.4f by more than the tolerance %.4f",
                    candidateAccuracy, liveAccuracy, tolerance));
        }
        return new Decision(true, liveAccuracy == null
                ? String.format("first model: held-out accuracy %.4f", candidateAccuracy)
                : String.format("held-out accuracy %.4f vs live %.4f (tolerance %.4f)", candidateAccuracy,
                        liveAccuracy, tolerance));
    }
}
