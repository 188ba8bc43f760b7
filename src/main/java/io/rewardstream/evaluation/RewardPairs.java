package io.rewardstream.evaluation;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.head.RewardHead;

/** Scores feature pairs with a head and computes their {@link PairwiseMetrics}. */
public final class RewardPairs {

    private RewardPairs() {
    }

    /** r_w - r_l of each pair. */
    public static double[] gaps(RewardHead head, FeaturePairs pairs) {
        double[] gaps = new double[pairs.size()];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = (double) head.score(pairs.chosen()[i]) - head.score(pairs.rejected()[i]);
        }
        return gaps;
    }

    public static PairwiseMetrics evaluate(RewardHead head, FeaturePairs pairs, double temperature) {
        int n = pairs.size();
        double[] chosen = new double[n];
        double[] rejected = new double[n];
        double[] margins = new double[n];
        for (int i = 0; i < n; i++) {
            chosen[i] = head.score(pairs.chosen()[i]);
            rejected[i] = head.score(pairs.rejected()[i]);
            margins[i] = pairs.marginOrNaN(i);
        }
        return PairwiseEvaluator.evaluate(chosen, rejected, pairs.chosenLength(), pairs.rejectedLength(), margins,
                temperature);
    }
}
