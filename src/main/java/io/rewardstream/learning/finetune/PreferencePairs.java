package io.rewardstream.learning.finetune;

import io.rewardstream.encoder.TokenSequence;
import java.util.List;
import java.util.Objects;

/**
 * A batch of preference pairs as token sequences: {@code chosen.get(i)} was preferred over {@code rejected.get(i)},
 * by {@code margins[i]} (0 where a pair carries no margin).
 */
public record PreferencePairs(List<TokenSequence> chosen, List<TokenSequence> rejected, float[] margins) {

    /** @throws IllegalArgumentException when the batch is empty or its three parts differ in length */
    public PreferencePairs {
        Objects.requireNonNull(chosen, "chosen");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(margins, "margins");
        chosen = List.copyOf(chosen);
        rejected = List.copyOf(rejected);
        margins = margins.clone();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one preference pair");
        }
        if (rejected.size() != chosen.size() || margins.length != chosen.size()) {
            throw new IllegalArgumentException("a batch of pairs holds " + chosen.size() + " chosen, "
                    + rejected.size() + " rejected sequences and " + margins.length + " margins; all must be equal");
        }
    }

    /** Pairs without margins. */
    public static PreferencePairs of(List<TokenSequence> chosen, List<TokenSequence> rejected) {
        return new PreferencePairs(chosen, rejected, new float[chosen.size()]);
    }

    @Override
    public float[] margins() {
        return margins.clone();
    }

    public int size() {
        return chosen.size();
    }
}
