package io.rewardstream.scorer.http;

import io.rewardstream.model.PromptResponse;

/**
 * Splits an OpenRLHF query (prompt and generated text as one decoded string) into prompt and response. The rules,
 * in order (docs/scorer.md shows examples):
 *
 * <ol>
 *   <li>{@link Rule#PROMPT}: the request gave a prompt for the query and the query starts with it, exactly or up to
 *       differences in whitespace: the response is the rest of the query.</li>
 *   <li>{@link Rule#MARKER}: the query contains an assistant-turn marker of {@link QueryRules}: it is split after
 *       the last one (the prompt keeps the marker). This covers a prompt that was cut on the left or changed by
 *       decoding.</li>
 *   <li>{@link Rule#WHOLE}: nothing fits: the whole query is scored as the response, to the given prompt or to an
 *       empty one. The answer and a metric say so.</li>
 * </ol>
 * End-of-turn and padding tokens and whitespace are then removed from the end of the response. An empty response
 * is scored like any other.
 */
final class QuerySplitter {

    /** Which rule split a query. */
    enum Rule {
        PROMPT, MARKER, WHOLE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A query split into the item to score, and the rule that split it. */
    record Split(PromptResponse item, Rule rule) {
    }

    private final QueryRules rules;

    QuerySplitter(QueryRules rules) {
        this.rules = rules;
    }

    /** @param prompt the request's prompt for this query, or null when it gave none */
    Split split(String query, String prompt) {
        if (prompt != null && !prompt.isEmpty()) {
            int end = prefixEnd(query, prompt);
            if (end >= 0) {
                return new Split(new PromptResponse(prompt, stripEnd(query.substring(end))), Rule.PROMPT);
            }
        }
        int at = -1;
        String marker = null;
        for (String m : rules.assistantMarkers()) {
            int found = query.lastIndexOf(m);
            if (found > at || (found == at && found >= 0 && m.length() > marker.length())) {
                at = found;
                marker = m;
            }
        }
        if (marker != null) {
            int cut = at + marker.length();
            return new Split(new PromptResponse(query.substring(0, cut), stripEnd(query.substring(cut))), Rule.MARKER);
        }
        return new Split(new PromptResponse(prompt == null ? "" : prompt, stripEnd(query)), Rule.WHOLE);
    }

    /**
     * Where the query's text after {@code prompt} begins when the query starts with the prompt, ignoring whitespace
     * (decoding tokens can add or drop spaces and newlines); -1 when it does not start with it.
     */
    static int prefixEnd(String query, String prompt) {
        if (query.startsWith(prompt)) {
            return prompt.length();
        }
        int q = 0;
        int p = 0;
        while (p < prompt.length()) {
            if (Character.isWhitespace(prompt.charAt(p))) {
                p++;
            } else if (q < query.length() && Character.isWhitespace(query.charAt(q))) {
                q++;
            } else if (q < query.length() && query.charAt(q) == prompt.charAt(p)) {
                q++;
                p++;
            } else {
                return -1;
            }
        }
        return q;
    }

    /** The response without trailing end-of-turn or padding tokens and whitespace. */
    String stripEnd(String response) {
        String r = response.stripTrailing();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String end : rules.endTokens()) {
                if (r.endsWith(end)) {
                    r = r.substring(0, r.length() - end.length()).stripTrailing();
                    changed = true;
                }
            }
        }
        return r;
    }
}
