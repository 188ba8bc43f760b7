package io.rewardstream.learning.finetune;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderTokenizer;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preference pairs in the joint layout, {@code [CLS] prompt [SEP] response [SEP]} per (prompt, response), each
 * distinct one laid out once: pair i prefers {@code sequences.get(chosen[i])} to {@code sequences.get(rejected[i])}.
 *
 * @param margins per pair, its margin, or 0 when it has none or margins are not used
 */
record JointPairs(List<TokenSequence> sequences, int[] chosen, int[] rejected, float[] margins) {

    /** Tokenizes and lays out the pairs with the README's truncation rule ({@link TokenLayout#joint}). */
    static JointPairs of(List<PreferencePair> pairs, EncoderTokenizer tokenizer, int maxLength, boolean useMargin) {
        TokenLayout layout = tokenizer.layout(maxLength);
        Map<List<String>, Integer> index = new LinkedHashMap<>();
        int[] chosen = new int[pairs.size()];
        int[] rejected = new int[pairs.size()];
        float[] margins = new float[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair p = pairs.get(i);
            chosen[i] = index.computeIfAbsent(List.of(p.prompt(), p.chosen()), k -> index.size());
            rejected[i] = index.computeIfAbsent(List.of(p.prompt(), p.rejected()), k -> index.size());
            margins[i] = useMargin && p.hasMargin() ? (float) p.margin() : 0f;
        }
        List<List<String>> keys = new ArrayList<>(index.keySet());
        long[][] prompts = tokenizer.tokenize(keys.stream().map(k -> k.get(0)).toList());
        long[][] responses = tokenizer.tokenize(keys.stream().map(k -> k.get(1)).toList());
        List<TokenSequence> sequences = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            sequences.add(layout.joint(prompts[k], responses[k]));
        }
        return new JointPairs(List.copyOf(sequences), chosen, rejected, margins);
    }

    int size() {
        return chosen.length;
    }

    /** Per pair, the longer of its two sequences: what decides its padding in a batch. */
    int[] lengths() {
        int[] lengths = new int[size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = Math.max(sequences.get(chosen[i]).length(), sequences.get(rejected[i]).length());
        }
        return lengths;
    }

    /** The pairs truncated to fit: either sequence lost tokens. */
    int truncated() {
        int count = 0;
        for (int i = 0; i < size(); i++) {
            count += sequences.get(chosen[i]).truncated() || sequences.get(rejected[i]).truncated() ? 1 : 0;
        }
        return count;
    }
}
