package io.rewardstream.model;

import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.head.FeatureLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * Turns (prompt, response) items into head features with a {@link FeatureLayout}. Every distinct text (or
 * distinct pair, for the joint layout) is encoded once per call, however often it occurs.
 */
public final class FeatureExtractor {

    private final TextEncoder encoder;
    private final FeatureLayout layout;
    private final TokenLayout tokens;

    public FeatureExtractor(TextEncoder encoder, FeatureLayout layout, int maxLength) {
        this.encoder = encoder;
        this.layout = layout;
        this.tokens = encoder.tokenizer().layout(maxLength);
    }

    public FeatureLayout layout() {
        return layout;
    }

    public int width() {
        return layout.featureWidth(encoder.hiddenSize());
    }

    public int maxLength() {
        return tokens.maxLength();
    }

    public TextEncoder encoder() {
        return encoder;
    }

    public Features extract(List<PromptResponse> items) {
        return extract(items, (done, total) -> { });
    }

    /** Features of each item, in order; {@code progress} receives (encoded sequences, sequences to encode). */
    public Features extract(List<PromptResponse> items, ObjIntConsumer<Integer> progress) {
        Plan plan = plan(items);
        List<TokenSequence> sequences = plan.sequences();
        float[][] vectors = encoder.embed(sequences, done -> progress.accept(done, sequences.size()));
        float[][] rows = new float[items.size()][];
        boolean[] truncated = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            int a = plan.first()[i];
            int b = plan.second()[i];
            rows[i] = b < 0 ? vectors[a] : interaction(vectors[a], vectors[b]);
            truncated[i] = sequences.get(a).truncated() || (b >= 0 && sequences.get(b).truncated());
        }
        return new Features(rows, truncated);
    }

    /**
     * The token sequences {@link #extract} would encode for {@code items}: tokenized and laid out (truncated to the
     * maximum length), each distinct one once. The CPU-side work before inference.
     */
    public List<TokenSequence> sequences(List<PromptResponse> items) {
        return plan(items).sequences();
    }

    /**
     * What to encode and where each item's features come from.
     *
     * @param first  per item, the sequence of its joint encoding (joint) or of its prompt (separate)
     * @param second per item, the sequence of its response (separate), or -1 (joint)
     */
    private record Plan(List<TokenSequence> sequences, int[] first, int[] second) {
    }

    private Plan plan(List<PromptResponse> items) {
        int[] first = new int[items.size()];
        int[] second = new int[items.size()];
        List<TokenSequence> sequences = new ArrayList<>();
        if (layout == FeatureLayout.JOINT) {
            Map<PromptResponse, Integer> distinct = index(items);
            List<PromptResponse> keys = new ArrayList<>(distinct.keySet());
            long[][] prompts = encoder.tokenizer().tokenize(keys.stream().map(PromptResponse::prompt).toList());
            long[][] responses = encoder.tokenizer().tokenize(keys.stream().map(PromptResponse::response).toList());
            for (int i = 0; i < keys.size(); i++) {
                sequences.add(tokens.joint(prompts[i], responses[i]));
            }
            for (int i = 0; i < items.size(); i++) {
                first[i] = distinct.get(items.get(i));
                second[i] = -1;
            }
        } else {
            Map<String, Integer> prompts = index(items.stream().map(PromptResponse::prompt).toList());
            Map<String, Integer> responses = index(items.stream().map(PromptResponse::response).toList());
            for (long[] ids : encoder.tokenizer().tokenize(new ArrayList<>(prompts.keySet()))) {
                sequences.add(tokens.promptAlone(ids));
            }
            for (long[] ids : encoder.tokenizer().tokenize(new ArrayList<>(responses.keySet()))) {
                sequences.add(tokens.responseAlone(ids));
            }
            for (int i = 0; i < items.size(); i++) {
                first[i] = prompts.get(items.get(i).prompt());
                second[i] = prompts.size() + responses.get(items.get(i).response());
            }
        }
        return new Plan(sequences, first, second);
    }

    /** concat(y, p * y, |p - y|): the response, and how it relates to the prompt. */
    static float[] interaction(float[] p, float[] y) {
        int h = y.length;
        float[] row = new float[3 * h];
        for (int i = 0; i < h; i++) {
            row[i] = y[i];
            row[h + i] = p[i] * y[i];
            row[2 * h + i] = Math.abs(p[i] - y[i]);
        }
        return row;
    }

    private static <K> Map<K, Integer> index(List<K> keys) {
        Map<K, Integer> index = new LinkedHashMap<>();
        for (K key : keys) {
            index.putIfAbsent(key, index.size());
        }
        return index;
    }
}
