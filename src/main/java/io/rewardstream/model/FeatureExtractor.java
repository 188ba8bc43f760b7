package io.rewardstream.model;

import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.head.FeatureLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * Turns (prompt, response) items into head features with a {@link FeatureLayout}. Every distinct text (or
 * distinct pair, for the joint layout) is encoded once per call, however often it occurs. With the separate layout
 * and a {@link PromptCache}, a prompt encoded by an earlier call is taken from the cache instead (the joint layout
 * encodes prompt and response together, so it has nothing to reuse).
 */
public final class FeatureExtractor {

    private final TextEncoder encoder;
    private final FeatureLayout layout;
    private final TokenLayout tokens;
    private final PromptCache prompts;

    public FeatureExtractor(TextEncoder encoder, FeatureLayout layout, int maxLength) {
        this(encoder, layout, maxLength, PromptCache.NONE);
    }

    /** @param prompts where the vectors of prompts seen before are kept (separate layout only) */
    public FeatureExtractor(TextEncoder encoder, FeatureLayout layout, int maxLength, PromptCache prompts) {
        this.encoder = encoder;
        this.layout = layout;
        this.tokens = encoder.tokenizer().layout(maxLength);
        this.prompts = prompts;
    }

    public PromptCache promptCache() {
        return prompts;
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
        plan.remember(vectors, prompts, encoder.identity(), tokens.maxLength());
        float[][] rows = new float[items.size()][];
        boolean[] truncated = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            int b = plan.second()[i];
            float[] first = plan.firstVector(i, vectors);
            rows[i] = b < 0 ? first : interaction(first, vectors[b]);
            truncated[i] = plan.firstTruncated(i) || (b >= 0 && sequences.get(b).truncated());
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
     * @param first  per item, the sequence of its joint encoding (joint) or of its prompt (separate), or -1 when its
     *               prompt's vector came from the cache
     * @param second per item, the sequence of its response (separate), or -1 (joint)
     * @param cached per item, its prompt's cached entry when {@code first} is -1
     * @param fresh  the prompts encoded by this call, by their sequence index (separate layout), to be cached
     */
    private record Plan(List<TokenSequence> sequences, int[] first, int[] second, PromptCache.Entry[] cached,
                        Map<Integer, String> fresh) {

        float[] firstVector(int item, float[][] vectors) {
            return first[item] < 0 ? cached[item].vector() : vectors[first[item]];
        }

        boolean firstTruncated(int item) {
            return first[item] < 0 ? cached[item].truncated() : sequences.get(first[item]).truncated();
        }

        void remember(float[][] vectors, PromptCache cache, String encoder, int maxLength) {
            fresh.forEach((index, prompt) -> cache.put(encoder, maxLength, prompt,
                    new PromptCache.Entry(vectors[index], sequences.get(index).truncated())));
        }
    }

    private Plan plan(List<PromptResponse> items) {
        int[] first = new int[items.size()];
        int[] second = new int[items.size()];
        PromptCache.Entry[] cached = new PromptCache.Entry[items.size()];
        Map<Integer, String> fresh = new LinkedHashMap<>();
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
            Map<String, Integer> distinctPrompts = index(items.stream().map(PromptResponse::prompt).toList());
            Map<String, PromptCache.Entry> hits = new HashMap<>();
            List<String> toEncode = new ArrayList<>();
            for (String prompt : distinctPrompts.keySet()) {
                PromptCache.Entry hit = prompts.get(encoder.identity(), tokens.maxLength(), prompt);
                if (hit != null) {
                    hits.put(prompt, hit);
                } else {
                    toEncode.add(prompt);
                }
            }
            Map<String, Integer> promptSequence = new HashMap<>();
            long[][] promptIds = encoder.tokenizer().tokenize(toEncode);
            for (int p = 0; p < toEncode.size(); p++) {
                promptSequence.put(toEncode.get(p), sequences.size());
                fresh.put(sequences.size(), toEncode.get(p));
                sequences.add(tokens.promptAlone(promptIds[p]));
            }
            Map<String, Integer> responses = index(items.stream().map(PromptResponse::response).toList());
            int responsesFrom = sequences.size();
            for (long[] ids : encoder.tokenizer().tokenize(new ArrayList<>(responses.keySet()))) {
                sequences.add(tokens.responseAlone(ids));
            }
            for (int i = 0; i < items.size(); i++) {
                String prompt = items.get(i).prompt();
                first[i] = promptSequence.getOrDefault(prompt, -1);
                cached[i] = hits.get(prompt);
                second[i] = responsesFrom + responses.get(items.get(i).response());
            }
        }
        return new Plan(sequences, first, second, cached, fresh);
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
