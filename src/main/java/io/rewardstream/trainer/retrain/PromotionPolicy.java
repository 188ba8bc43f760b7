package io.rewardstream.trainer.retrain;

import io.rewardstream.config.ConfigException;
import java.util.Locale;

/**
 * What a candidate must show against the live model to be promoted (gate.policy, gate.min-gain, gate.significance).
 *
 * @param kind         {@link Kind#TOLERANCE} (a fresher model of equal quality is promoted) or {@link Kind#IMPROVEMENT}
 *                     (only a real improvement is)
 * @param minGain      with IMPROVEMENT: held-out accuracy the candidate must gain at least
 * @param significance with IMPROVEMENT: largest p-value of the one-sided paired (McNemar) test that the candidate
 *                     is better; 1 turns the test off
 */
public record PromotionPolicy(Kind kind, double minGain, double significance) {

    /** The two policies. */
    public enum Kind {
        /** Promote unless the candidate is worse than the live model by more than gate.tolerance. */
        TOLERANCE,
        /** Promote only a candidate that beats the live model on the same held-out pairs. */
        IMPROVEMENT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String key, String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, "has value '" + text + "'; use tolerance or improvement");
            }
        }
    }

    public PromotionPolicy {
        if (kind == null) {
            throw new ConfigException("gate.policy", "must be tolerance or improvement");
        }
        if (!(minGain >= 0 && minGain <= 1)) {
            throw new ConfigException("gate.min-gain", "must be in [0, 1]");
        }
        if (!(significance > 0 && significance <= 1)) {
            throw new ConfigException("gate.significance", "must be in (0, 1]");
        }
    }

    /** The current behaviour: promote a fresher model of equal quality. */
    public static PromotionPolicy tolerance() {
        return new PromotionPolicy(Kind.TOLERANCE, 0.0, 0.05);
    }
}
