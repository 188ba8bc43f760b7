package io.rewardstream.evaluation;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.head.RewardHead;

/** Scores encoded pairs with a head and computes their {@link PairwiseMetrics}. */
public final class RewardPairs {

    private RewardPairs() {
    }

    /** r_w - r_l of each pair. */
    public static double[] gaps(RewardHead head, EncodedPairs pairs) {
        double[] gaps = new double[pairs.size()];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = head.score(pairs.features().chosen()[i]) - head.score(pairs.features().rejected()[i]);
        }
        return gaps;
    }

    public static PairwiseMetrics evaluate(RewardHead head, EncodedPairs pairs, double temperature) {
        int n = pairs.size();
        double[] chosen = new double[n];
        double[] rejected = new double[n];
        int[] chosenLength = new int[n];
        int[] rejectedLength = new int[n];
        double[] margins = new double[n];
        for (int i = 0; i < n; i++) {
            PreferencePair pair = pairs.pairs().get(i);
            chosen[i] = head.score(pairs.features().chosen()[i]);
            rejected[i] = head.score(pairs.features().rejected()[i]);
            chosenLength[i] = pair.chosen().length();
            rejectedLength[i] = pair.rejected().length();
            margins[i] = pair.margin();
        }
        return PairwiseEvaluator.evaluate(chosen, rejected, chosenLength, rejectedLength, margins, temperature);
    }

    /** Accuracy of a rule that prefers the longer (sign = 1) or the shorter (sign = -1) response. */
    public static double lengthRuleAccuracy(EncodedPairs pairs, int sign) {
        double correct = 0;
        for (PreferencePair pair : pairs.pairs()) {
            int d = Integer.signum(pair.chosen().length() - pair.rejected().length()) * sign;
            correct += d > 0 ? 1 : d == 0 ? 0.5 : 0;
        }
        return correct / pairs.size();
    }
}
