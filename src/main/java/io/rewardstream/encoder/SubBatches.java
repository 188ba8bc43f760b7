package io.rewardstream.encoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Where to cut token sequences, sorted by length, into encoder calls. A call pads every row to its longest one, so
 * cutting a sorted list into calls of a fixed size wastes much of the work on texts of mixed lengths: a call that
 * holds a few long prompts and many short answers runs the short ones at the long ones' length. Measured on the
 * scorer benchmark's HH-RLHF texts, fixed cuts of 32 ran 1.9 to 2.3 padded tokens per real one.
 *
 * <p>The cuts here minimise a cost model over all ways to cut: a call costs {@code callCost} (in tokens) plus, for
 * each of its rows, its padded length L weighted by {@code 1 + L / attentionSpan} (self-attention grows with the
 * square of the length). At most {@code maxRows} rows go in one call. Dynamic programming over the sorted lengths
 * finds the cheapest cuts in O(n * maxRows).
 *
 * <p>Cutting never changes a vector: the encoders pool over real tokens only and a row's outputs do not depend on the
 * other rows of its call ({@code TextEncoderPoolingTest}, {@code PrecisionTest}).
 *
 * @param maxRows       most rows in one call (the encoder's batch size)
 * @param callCost      fixed cost of one call, in tokens of work
 * @param attentionSpan the padded length at which a token costs twice what a very short sequence's token costs
 */
public record SubBatches(int maxRows, double callCost, double attentionSpan) {

    /**
     * Constants for ONNX Runtime on a CPU, from timing MiniLM-L6 calls of 1 to 64 rows of 8 to 256 tokens (int8, the
     * runtime's default threads, one on the 2-vCPU machine measured): a token cost 92 us plus 0.23 us per token of its
     * length once calls held more than about 128 tokens, up to 15% more in calls smaller than that, and a call about
     * 0.25 ms on its own. So 400 for the span, and 16 tokens for a call, which also stands for the smaller calls'
     * lower efficiency.
     */
    public static SubBatches cpu(int maxRows) {
        return new SubBatches(maxRows, 16, 400);
    }

    /**
     * Fewest calls, then the least padding among the cuts with that many: for a device where a call's fixed cost is
     * large next to a token's (a GPU), and not measured here.
     */
    public static SubBatches fewestCalls(int maxRows) {
        return new SubBatches(maxRows, 1e9, 400);
    }

    public SubBatches {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
        if (!(callCost >= 0) || !(attentionSpan > 0)) {
            throw new IllegalArgumentException("callCost must be >= 0 and attentionSpan > 0, got " + callCost + " and "
                    + attentionSpan);
        }
    }

    /** {@code sorted} (ascending by length) cut into calls by {@link #ends}: views of it, in order. */
    public List<List<TokenSequence>> cut(List<TokenSequence> sorted) {
        List<List<TokenSequence>> calls = new ArrayList<>();
        int from = 0;
        for (int end : ends(sorted.stream().mapToInt(TokenSequence::length).toArray())) {
            calls.add(sorted.subList(from, end));
            from = end;
        }
        return calls;
    }

    /**
     * The end (exclusive) of each call over {@code sortedLengths}, in order; the last is its length.
     *
     * @param sortedLengths the sequences' lengths, ascending
     */
    public int[] ends(int[] sortedLengths) {
        int n = sortedLengths.length;
        double[] best = new double[n + 1];
        int[] start = new int[n + 1];
        for (int end = 1; end <= n; end++) {
            int length = sortedLengths[end - 1];
            if (end > 1 && length < sortedLengths[end - 2]) {
                throw new IllegalArgumentException("lengths are not sorted at index " + (end - 1));
            }
            double perRow = length * (1 + length / attentionSpan);
            best[end] = Double.POSITIVE_INFINITY;
            for (int from = Math.max(0, end - maxRows); from < end; from++) {
                double cost = best[from] + callCost + (end - from) * perRow;
                if (cost < best[end]) {
                    best[end] = cost;
                    start[end] = from;
                }
            }
        }
        int calls = 0;
        for (int end = n; end > 0; end = start[end]) {
            calls++;
        }
        int[] ends = new int[calls];
        for (int end = n, k = calls - 1; end > 0; end = start[end], k--) {
            ends[k] = end;
        }
        return ends;
    }
}
