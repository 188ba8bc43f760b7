package io.rewardstream.trainer.retrain;

import io.rewardstream.evaluation.PairedComparison;
import java.util.Locale;

/**
 * Decides whether a candidate replaces the live model. Both were measured on the same held-out pairs. A candidate
 * must reach the floor; then, by {@link PromotionPolicy}:
 * <ul>
 *   <li>tolerance: it is promoted unless its accuracy is below the live model's by more than the tolerance (a fresher
 *       model of equal quality is preferred: it has seen the newest data). Every retrain may promote a version.</li>
 *   <li>improvement: it is promoted only when it beats the live model on the same pairs: an accuracy gain of at
 *       least the minimum gain and, pair by pair, a one-sided McNemar test at the significance level. Versions then
 *       change only for a measured reason, so the rewards a trainer sees do not shift at every retrain.</li>
 * </ul>
 */
public record PromotionGate(double tolerance, double floor, PromotionPolicy policy) {

    /** The decision and why. */
    public record Decision(boolean promote, String reason) {
    }

    public PromotionGate {
        if (tolerance < 0 || floor < 0 || floor > 1 || policy == null) {
            throw new IllegalArgumentException("tolerance >= 0, floor in [0, 1] and a policy are required");
        }
    }

    /** The tolerance policy. */
    public PromotionGate(double tolerance, double floor) {
        this(tolerance, floor, PromotionPolicy.tolerance());
    }

    /** @param liveAccuracy the live model's held-out accuracy, or null when there is none yet */
    public Decision decide(double candidateAccuracy, Double liveAccuracy) {
        return decide(candidateAccuracy, liveAccuracy, null);
    }

    /**
     * @param liveAccuracy the live model's held-out accuracy, or null when there is none yet
     * @param paired       the candidate against the live model pair by pair, or null when they could not be paired
     */
    public Decision decide(double candidateAccuracy, Double liveAccuracy, PairedComparison paired) {
        if (Double.isNaN(candidateAccuracy)) {
            return new Decision(false, "no held-out pairs to measure the candidate on");
        }
        if (candidateAccuracy < floor) {
            return new Decision(false, String.format(Locale.ROOT, "held-out accuracy %.4f is below the floor %.4f",
                    candidateAccuracy, floor));
        }
        if (liveAccuracy == null) {
            return new Decision(true, String.format(Locale.ROOT, "first model: held-out accuracy %.4f",
                    candidateAccuracy));
        }
        return policy.kind() == PromotionPolicy.Kind.IMPROVEMENT
                ? improvement(candidateAccuracy, liveAccuracy, paired)
                : tolerance(candidateAccuracy, liveAccuracy);
    }

    private Decision tolerance(double candidateAccuracy, double liveAccuracy) {
        if (candidateAccuracy < liveAccuracy - tolerance) {
            return new Decision(false, String.format(Locale.ROOT,
                    "held-out accuracy %.4f is below the live model's %.4f by more than the tolerance %.4f",
                    candidateAccuracy, liveAccuracy, tolerance));
        }
        return new Decision(true, String.format(Locale.ROOT, "held-out accuracy %.4f vs live %.4f (tolerance %.4f)",
                candidateAccuracy, liveAccuracy, tolerance));
    }

    private Decision improvement(double candidateAccuracy, double liveAccuracy, PairedComparison paired) {
        double gain = candidateAccuracy - liveAccuracy;
        String measured = String.format(Locale.ROOT, "held-out accuracy %.4f vs live %.4f (gain %.4f, at least %.4f"
                + " required)", candidateAccuracy, liveAccuracy, gain, policy.minGain());
        if (gain < policy.minGain() || gain <= 0) {
            return new Decision(false, "no improvement: " + measured);
        }
        if (policy.significance() < 1) {
            if (paired == null) {
                return new Decision(false, "no paired comparison with the live model: " + measured);
            }
            double p = paired.pValue();
            String test = String.format(Locale.ROOT, "; right where live is wrong on %d pairs, wrong where live is"
                    + " right on %d, of %d (one-sided McNemar p = %.4f, at most %.4f required)",
                    paired.candidateOnly(), paired.otherOnly(), paired.pairs(), p, policy.significance());
            if (p > policy.significance()) {
                return new Decision(false, "improvement not significant: " + measured + test);
            }
            return new Decision(true, "improvement: " + measured + test);
        }
        return new Decision(true, "improvement: " + measured);
    }
}
