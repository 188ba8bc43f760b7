package io.rewardstream.bench;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.model.PromptResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The texts {@code bench scorer} scores, drawn from preference pairs. */
public final class ScorerTexts {

    private ScorerTexts() {
    }

    /** Up to {@code count} items: each pair's prompt with its chosen, then its rejected response, from {@code from}. */
    public static List<PromptResponse> responses(List<PreferencePair> pairs, int from, int count) {
        List<PromptResponse> texts = new ArrayList<>(count);
        for (int i = from; i < pairs.size() && texts.size() < count; i++) {
            texts.add(new PromptResponse(pairs.get(i).prompt(), pairs.get(i).chosen()));
            if (texts.size() < count) {
                texts.add(new PromptResponse(pairs.get(i).prompt(), pairs.get(i).rejected()));
            }
        }
        return texts;
    }

    /**
     * {@code prompts} distinct prompts with {@code perPrompt} responses each, as an RLHF rollout samples them: the
     * responses are those of the following pairs (real lengths), and the items are dealt round-robin (the first
     * response of every prompt, then the second, ...), so with at least a batch's worth of prompts no batch holds two
     * responses of one prompt, as when rollouts keyed by response id spread over batches and partitions. Fewer
     * prompts when the pairs hold fewer distinct ones.
     */
    public static List<PromptResponse> samplesPerPrompt(List<PreferencePair> pairs, int from, int prompts,
                                                        int perPrompt) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        List<String> responses = new ArrayList<>();
        for (int i = from; i < pairs.size(); i++) {
            if (distinct.size() < prompts) {
                distinct.putIfAbsent(pairs.get(i).prompt(), i);
            }
            responses.add(pairs.get(i).chosen());
            responses.add(pairs.get(i).rejected());
        }
        List<String> chosenPrompts = new ArrayList<>(distinct.keySet());
        int kept = Math.min(chosenPrompts.size(), responses.size() / perPrompt);
        if (kept == 0) {
            throw new IllegalArgumentException("the pairs from " + from + " hold no prompt with " + perPrompt
                    + " responses to give it");
        }
        List<PromptResponse> items = new ArrayList<>(kept * perPrompt);
        for (int r = 0; r < perPrompt; r++) {
            for (int p = 0; p < kept; p++) {
                items.add(new PromptResponse(chosenPrompts.get(p), responses.get(p * perPrompt + r)));
            }
        }
        return items;
    }
}
