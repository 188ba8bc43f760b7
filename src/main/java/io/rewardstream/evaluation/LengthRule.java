package io.rewardstream.evaluation;

import io.rewardstream.data.PreferencePair;
import java.util.List;

/** The floors every reward model is compared with: "the longer response wins" and "the shorter response wins". */
public final class LengthRule {

    /** Prefers the longer response. */
    public static final int LONGER = 1;
    /** Prefers the shorter response. */
    public static final int SHORTER = -1;

    private LengthRule() {
    }

    /** Pairwise accuracy of the rule {@code sign} ({@link #LONGER} or {@link #SHORTER}); ties count half. */
    public static double accuracy(List<PreferencePair> pairs, int sign) {
        double correct = 0;
        for (PreferencePair pair : pairs) {
            int d = Integer.signum(pair.chosen().length() - pair.rejected().length()) * sign;
            correct += d > 0 ? 1 : d == 0 ? 0.5 : 0;
        }
        return correct / pairs.size();
    }
}
