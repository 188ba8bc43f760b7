package io.rewardstream.data;

import io.rewardstream.common.BadInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Deterministic held-out splits. A pair goes to the held-out side by a seeded hash of its group key (the
 * prompt), so all judgments of one prompt land on the same side and nothing about a held-out prompt leaks
 * into training.
 */
public final class Split {

    /** Indices into the input list. */
    public record Indices(int[] kept, int[] heldOut) {
    }

    private Split() {
    }

    public static <T> Indices byGroup(List<T> items, Function<T, String> group, double heldOutFraction, long seed) {
        if (heldOutFraction < 0 || heldOutFraction >= 1) {
            throw new BadInputException("held-out fraction must be in [0, 1), got " + heldOutFraction);
        }
        List<Integer> kept = new ArrayList<>();
        List<Integer> heldOut = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            (unitHash(group.apply(items.get(i)), seed) < heldOutFraction ? heldOut : kept).add(i);
        }
        return new Indices(kept.stream().mapToInt(Integer::intValue).toArray(),
                heldOut.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A number in [0, 1) from 64-bit FNV-1a of the key, mixed with the seed. */
    public static double unitHash(String key, long seed) {
        long h = 0xcbf29ce484222325L ^ (seed * 0x9E3779B97F4A7C15L);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
