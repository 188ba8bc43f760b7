package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubBatchesTest {

    @Test
    void shouldFindTheCheapestCutsOfEveryRandomListThatExhaustiveSearchFinds() {
        Random random = new Random(11);
        for (int trial = 0; trial < 400; trial++) {
            int[] lengths = random.ints(1 + random.nextInt(11), 1, 300).sorted().toArray();
            SubBatches cuts = new SubBatches(1 + random.nextInt(5), random.nextInt(40), 50 + random.nextInt(500));

            int[] ends = cuts.ends(lengths);

            assertThat(ends[ends.length - 1]).isEqualTo(lengths.length);
            assertThat(cost(cuts, lengths, ends)).isCloseTo(cheapest(cuts, lengths, 0),
                    org.assertj.core.data.Offset.offset(1e-6));
            int from = 0;
            for (int end : ends) {
                assertThat(end - from).isBetween(1, cuts.maxRows());
                from = end;
            }
        }
    }

    @Test
    void shouldCutEqualLengthsIntoFullCalls() {
        int[] lengths = new int[100];
        Arrays.fill(lengths, 40);

        assertThat(SubBatches.cpu(32).ends(lengths)).containsExactly(4, 36, 68, 100);
    }

    @Test
    void shouldGiveALongOutlierACallOfItsOwn() {
        int[] lengths = {10, 10, 11, 11, 12, 12, 12, 250};

        assertThat(SubBatches.cpu(32).ends(lengths)).containsExactly(7, 8);
    }

    @Test
    void shouldSpendLessPaddingThanFixedCutsOnMixedLengths() {
        // short answers and long prompts, as in a scorer batch
        int[] lengths = new Random(5).ints(96, 5, 60).map(l -> l % 3 == 0 ? l * 4 : l).sorted().toArray();
        int[] fixed = {32, 64, 96};

        int[] ends = SubBatches.cpu(32).ends(lengths);

        assertThat(padded(lengths, ends)).isLessThan(padded(lengths, fixed));
    }

    @Test
    void shouldMakeTheFewestCallsWhenACallCostsMuchMoreThanATokenAndPadLeastAmongThem() {
        int[] lengths = {1, 1, 1, 1, 1, 100, 100, 100};

        assertThat(SubBatches.fewestCalls(4).ends(lengths)).containsExactly(4, 8);
        assertThat(SubBatches.fewestCalls(4).ends(new int[] {1, 1, 1, 1, 100, 100, 100, 100, 100}))
                .hasSize(3);
    }

    @Test
    void shouldCutNothingOutOfNothing() {
        assertThat(SubBatches.cpu(32).ends(new int[0])).isEmpty();
    }

    @Test
    void shouldRefuseUnsortedLengthsAndBadSettings() {
        assertThatThrownBy(() -> SubBatches.cpu(32).ends(new int[] {5, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not sorted at index 1");
        assertThatThrownBy(() -> SubBatches.cpu(0)).hasMessageContaining("maxRows must be at least 1, got 0");
        assertThatThrownBy(() -> new SubBatches(8, -1, 400)).hasMessageContaining("callCost must be >= 0");
    }

    private static double cheapest(SubBatches cuts, int[] lengths, int from) {
        if (from == lengths.length) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int end = from + 1; end <= Math.min(lengths.length, from + cuts.maxRows()); end++) {
            best = Math.min(best, call(cuts, lengths, from, end) + cheapest(cuts, lengths, end));
        }
        return best;
    }

    private static double cost(SubBatches cuts, int[] lengths, int[] ends) {
        double total = 0;
        int from = 0;
        for (int end : ends) {
            total += call(cuts, lengths, from, end);
            from = end;
        }
        return total;
    }

    private static double call(SubBatches cuts, int[] lengths, int from, int end) {
        int longest = lengths[end - 1];
        return cuts.callCost() + (end - from) * longest * (1 + longest / cuts.attentionSpan());
    }

    private static long padded(int[] lengths, int[] ends) {
        long total = 0;
        int from = 0;
        for (int end : ends) {
            total += (long) (end - from) * lengths[end - 1];
            from = end;
        }
        return total;
    }
}
