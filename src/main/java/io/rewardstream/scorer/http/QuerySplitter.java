package io.rewardstream.scorer.http;

import io.rewardstream.http.HttpProblem;
import io.rewardstream.model.PromptResponse;
import java.util.List;

/**
 * Splits an OpenRLHF query (prompt and response as one chat-formatted string) into prompt and response.
 *
 * <ol>
 *   <li>With a prompt for the query (the request's "prompts" field) and a query that starts with it, the
 *       response is the rest of the query; a query that does not start with its prompt is taken whole as the
 *       response to that prompt.</li>
 *   <li>Otherwise the query is split after the LAST assistant-turn marker it contains (the one that starts
 *       furthest to the right, over all known chat templates): the prompt is everything up to and including the
 *       marker, the response everything after it.</li>
 * </ol>
 * End-of-turn tokens and whitespace at the end of the response are removed. A query with neither a prompt nor
 * a marker cannot be split and is refused with a message naming its index.
 */
final class QuerySplitter {

    /** Assistant-turn markers of common chat templates. */
    static final List<String> ASSISTANT_MARKERS = List.of(
            "<|im_start|>assistant\n",                            // ChatML: Qwen, Yi, OpenHermes
            "<|start_header_id|>assistant<|end_header_id|>\n\n",  // Llama 3
            "<|start_header_id|>assistant<|end_header_id|>",
            "<start_of_turn>model\n",                             // Gemma
            "<|assistant|>\n",                                    // Zephyr, Phi-3
            "<|assistant|>",
            "[/INST]",                                            // Llama 2, Mistral
            "\n\nAssistant:",                                     // Anthropic HH
            "### Response:\n",                                    // Alpaca
            "<｜Assistant｜>");                                   // DeepSeek

    /** End-of-turn tokens removed from the end of a response. */
    static final List<String> END_TOKENS = List.of("<|im_end|>", "<|eot_id|>", "<end_of_turn>", "<|end|>",
            "<|endoftext|>", "</s>", "<｜end▁of▁sentence｜>");

    private QuerySplitter() {
    }

    static PromptResponse split(int index, String query, String prompt) {
        if (prompt != null && !prompt.isEmpty()) {
            String response = query.startsWith(prompt) ? query.substring(prompt.length()) : query;
            return new PromptResponse(prompt, stripEnd(response));
        }
        int best = -1;
        String marker = null;
        for (String m : ASSISTANT_MARKERS) {
            int at = query.lastIndexOf(m);
            if (at > best) {
                best = at;
                marker = m;
            }
        }
        if (marker == null) {
            throw new HttpProblem(400, "query[" + index + "] has no assistant-turn marker to split it into prompt and"
                    + " response; send \"prompts\" with the request (see docs/scorer.md)");
        }
        int cut = best + marker.length();
        return new PromptResponse(query.substring(0, cut), stripEnd(query.substring(cut)));
    }

    static String stripEnd(String response) {
        String r = response.stripTrailing();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String end : END_TOKENS) {
                if (r.endsWith(end)) {
                    r = r.substring(0, r.length() - end.length()).stripTrailing();
                    changed = true;
                }
            }
        }
        return r;
    }
}
