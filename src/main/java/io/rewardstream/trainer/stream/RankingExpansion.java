package io.rewardstream.trainer.stream;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Expands a ranking (indices of responses, most preferred first; a prefix is allowed) into ordered
 * (winner, loser) pairs: each ranked response beats every response ranked after it and every unranked one.
 * A full ranking of K gives K(K-1)/2 pairs; a best-of-K ([i]) gives K-1.
 */
public final class RankingExpansion {

    private RankingExpansion() {
    }

    /** @return pairs {winner, loser}; the ranking must be valid for {@code responses} responses */
    public static List<int[]> pairs(int responses, List<Integer> ranking) {
        BitSet ranked = new BitSet(responses);
        ranking.forEach(ranked::set);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < ranking.size(); i++) {
            int winner = ranking.get(i);
            for (int j = i + 1; j < ranking.size(); j++) {
                pairs.add(new int[] {winner, ranking.get(j)});
            }
            for (int loser = ranked.nextClearBit(0); loser < responses; loser = ranked.nextClearBit(loser + 1)) {
                pairs.add(new int[] {winner, loser});
            }
        }
        return pairs;
    }
}
