package io.rewardstream.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
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
        return layout == FeatureLayout.JOINT ? joint(items, progress) : separate(items, progress);
    }

    private Features joint(List<PromptResponse> items, ObjIntConsumer<Integer> progress) {
        Map<PromptResponse, Integer> distinct = index(items);
        List<PromptResponse> keys = new ArrayList<>(distinct.keySet());
        long[][] prompts = encoder.tokenizer().tokenize(keys.stream().map(PromptResponse::prompt).toList());
        long[][] responses = encoder.tokenizer().tokenize(keys.stream().map(PromptResponse::response).toList());
        List<TokenSequence> sequences = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            sequences.add(tokens.joint(prompts[i], responses[i]));
        }
        float[][] vectors = encoder.embed(sequences, reporter(progress, sequences.size()));
        float[][] rows = new float[items.size()][];
        boolean[] truncated = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            int k = distinct.get(items.get(i));
            rows[i] = vectors[k];
            truncated[i] = sequences.get(k).truncated();
        }
        return new Features(rows, truncated);
    }

    private Features separate(List<PromptResponse> items, ObjIntConsumer<Integer> progress) {
        Map<String, Integer> prompts = index(items.stream().map(PromptResponse::prompt).toList());
        Map<String, Integer> responses = index(items.stream().map(PromptResponse::response).toList());
        List<TokenSequence> sequences = new ArrayList<>(prompts.size() + responses.size());
        for (long[] ids : encoder.tokenizer().tokenize(new ArrayList<>(prompts.keySet()))) {
            sequences.add(tokens.promptAlone(ids));
        }
        for (long[] ids : encoder.tokenizer().tokenize(new ArrayList<>(responses.keySet()))) {
            sequences.add(tokens.responseAlone(ids));
        }
        float[][] vectors = encoder.embed(sequences, reporter(progress, sequences.size()));
        float[][] rows = new float[items.size()][];
        boolean[] truncated = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            int p = prompts.get(items.get(i).prompt());
            int y = prompts.size() + responses.get(items.get(i).response());
            rows[i] = interaction(vectors[p], vectors[y]);
            truncated[i] = sequences.get(p).truncated() || sequences.get(y).truncated();
        }
        return new Features(rows, truncated);
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

    private static IntConsumer reporter(ObjIntConsumer<Integer> progress, int total) {
        return done -> progress.accept(done, total);
    }
}
