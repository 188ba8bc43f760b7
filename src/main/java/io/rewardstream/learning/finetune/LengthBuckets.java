package io.rewardstream.learning.finetune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The batch order of one epoch: the pairs are shuffled, cut into buckets of {@link #BATCHES_PER_BUCKET} batches,
 * sorted by length within each bucket (so a batch pads little), cut into batches, and the batches shuffled. The
 * order depends only on the lengths, the seed and the epoch, so it can be rebuilt to resume a run.
 */
final class LengthBuckets {

    /** Batches per bucket: large enough that batches pad little, small enough that the order stays random. */
    static final int BATCHES_PER_BUCKET = 16;

    private LengthBuckets() {
    }

    /**
     * @param lengths       per pair, the length that decides its padding (the longer of its two sequences)
     * @param pairsPerBatch pairs in each batch; the last batch of a bucket may hold fewer
     * @return the epoch's batches, each a list of pair indices
     */
    static List<int[]> batches(int[] lengths, int pairsPerBatch, long seed, int epoch) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        Integer[] order = new Integer[lengths.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        shuffle(order, random);
        int bucket = pairsPerBatch * BATCHES_PER_BUCKET;
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += bucket) {
            Integer[] members = Arrays.copyOfRange(order, from, Math.min(order.length, from + bucket));
            Arrays.sort(members, Comparator.comparingInt(i -> lengths[i]));
            for (int b = 0; b < members.length; b += pairsPerBatch) {
                int[] batch = new int[Math.min(pairsPerBatch, members.length - b)];
                for (int k = 0; k < batch.length; k++) {
                    batch[k] = members[b + k];
                }
                batches.add(batch);
            }
        }
        int[][] shuffled = batches.toArray(new int[0][]);
        shuffle(shuffled, random);
        return List.of(shuffled);
    }

    /** The number of batches {@link #batches} makes of {@code pairs} pairs. */
    static int count(int pairs, int pairsPerBatch) {
        int bucket = pairsPerBatch * BATCHES_PER_BUCKET;
        int full = pairs / bucket;
        int rest = pairs % bucket;
        return full * BATCHES_PER_BUCKET + (rest + pairsPerBatch - 1) / pairsPerBatch;
    }

    private static <T> void shuffle(T[] items, Random random) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
    }
}
