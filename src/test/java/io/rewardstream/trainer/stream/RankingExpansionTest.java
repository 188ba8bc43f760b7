package io.rewardstream.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingExpansionTest {

    private static List<String> pairs(int k, List<Integer> ranking) {
        return RankingExpansion.pairs(k, ranking).stream().map(p -> p[0] + ">" + p[1]).toList();
    }

    @Test
    void shouldExpandAFullRankingOfKIntoKTimesKMinusOneHalvesPairs() {
        assertThat(pairs(4, List.of(2, 0, 3, 1)))
                .containsExactly("2>0", "2>3", "2>1", "0>3", "0>1", "3>1");
    }

    @Test
    void shouldExpandABestOfKIntoKMinusOnePairs() {
        assertThat(pairs(4, List.of(1))).containsExactly("1>0", "1>2", "1>3");
    }

    @Test
    void shouldLetEachRankedResponseOfAPrefixBeatTheUnrankedOnes() {
        assertThat(pairs(4, List.of(3, 0))).containsExactly("3>0", "3>1", "3>2", "0>1", "0>2");
    }

    @Test
    void shouldTreatARankingMissingOnlyTheLastAsAFullRanking() {
        assertThat(pairs(3, List.of(1, 2))).containsExactly("1>2", "1>0", "2>0");
    }
}
