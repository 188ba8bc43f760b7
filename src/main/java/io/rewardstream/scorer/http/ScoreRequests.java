package io.rewardstream.scorer.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.rewardstream.http.HttpProblem;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.TextRules;
import java.util.ArrayList;
import java.util.List;

/** Reads and checks the bodies of POST /v1/score and POST /get_reward; a bad body is a 400 that says why. */
final class ScoreRequests {

    private ScoreRequests() {
    }

    /** {"items": [{"prompt": "...", "response": "..."}, ...]} */
    static List<PromptResponse> items(JsonNode body, int maxItems, TextRules texts) {
        JsonNode items = array(body, "items", maxItems, false);
        List<PromptResponse> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw new HttpProblem(400, "items[" + i + "] must be an object with \"prompt\" and \"response\"");
            }
            out.add(new PromptResponse(text(item, "prompt", "items[" + i + "]", texts),
                    text(item, "response", "items[" + i + "]", texts)));
        }
        return out;
    }

    /**
     * {"query": ["..."], "prompts": ["..."] (optional), "labels": [...] (ignored)}, each query split by
     * {@code splitter}; an empty "query" is no error (OpenRLHF sends one to a server that has no share of a batch).
     * A prompt or response that is empty after splitting is scored (an empty generation is a real answer); any
     * other text must pass {@code texts}.
     */
    static List<QuerySplitter.Split> queries(JsonNode body, int maxItems, QuerySplitter splitter, TextRules texts) {
        JsonNode queries = array(body, "query", maxItems, true);
        JsonNode prompts = body.get("prompts");
        if (prompts != null && !prompts.isNull() && (!prompts.isArray() || prompts.size() != queries.size())) {
            throw new HttpProblem(400, "\"prompts\" must be an array of strings as long as \"query\" ("
                    + queries.size() + ")");
        }
        List<QuerySplitter.Split> out = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            if (!queries.get(i).isTextual()) {
                throw new HttpProblem(400, "query[" + i + "] must be a string");
            }
            String prompt = null;
            if (prompts != null && !prompts.isNull()) {
                if (!prompts.get(i).isTextual() && !prompts.get(i).isNull()) {
                    throw new HttpProblem(400, "prompts[" + i + "] must be a string");
                }
                prompt = prompts.get(i).isNull() ? null : prompts.get(i).asText();
            }
            QuerySplitter.Split split = splitter.split(queries.get(i).asText(), prompt);
            requireTextOrEmpty(split.item().prompt(), "the prompt of query[" + i + "]", texts);
            requireTextOrEmpty(split.item().response(), "the response of query[" + i + "]", texts);
            out.add(split);
        }
        return out;
    }

    private static JsonNode array(JsonNode body, String field, int maxItems, boolean mayBeEmpty) {
        if (!body.isObject()) {
            throw new HttpProblem(400, "the body must be a JSON object with \"" + field + "\"");
        }
        JsonNode array = body.get(field);
        if (array == null || array.isNull()) {
            throw new HttpProblem(400, "\"" + field + "\" is missing");
        }
        if (!array.isArray()) {
            throw new HttpProblem(400, "\"" + field + "\" must be an array");
        }
        if (array.isEmpty() && !mayBeEmpty) {
            throw new HttpProblem(400, "\"" + field + "\" is empty");
        }
        if (array.size() > maxItems) {
            throw new HttpProblem(413, "\"" + field + "\" has " + array.size() + " entries; at most " + maxItems
                    + " per request (http.max-items)");
        }
        return array;
    }

    private static String text(JsonNode item, String field, String where, TextRules texts) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            throw new HttpProblem(400, where + "." + field + " is missing");
        }
        if (!value.isTextual()) {
            throw new HttpProblem(400, where + "." + field + " must be a string");
        }
        requireText(value.asText(), where + "." + field, texts);
        return value.asText();
    }

    private static void requireTextOrEmpty(String value, String what, TextRules texts) {
        if (!value.isEmpty()) {
            requireText(value, what, texts);
        }
    }

    private static void requireText(String value, String what, TextRules texts) {
        texts.problem(what, value).ifPresent(problem -> {
            throw new HttpProblem(400, problem);
        });
    }
}
