package io.rewardstream.scorer.http;

import io.rewardstream.config.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link QuerySplitter} looks for in an OpenRLHF query: the assistant-turn markers that end a prompt, and the
 * end-of-turn and padding tokens removed from the end of a response.
 *
 * <p>A marker setting is a comma-separated list of chat-template names ({@link #TEMPLATES}) and literal markers; a
 * token setting is a list of literal tokens. In a literal, {@code \n}, {@code \t}, {@code \,} and {@code \\} stand
 * for a newline, a tab, a comma and a backslash.
 */
public record QueryRules(List<String> assistantMarkers, List<String> endTokens) {

    /** The assistant-turn markers of common chat templates, by template name. */
    public static final Map<String, List<String>> TEMPLATES = templates();

    public QueryRules {
        assistantMarkers = List.copyOf(assistantMarkers);
        endTokens = List.copyOf(endTokens);
    }

    /** The rules of the default settings (every template, the end tokens of common tokenizers). */
    public static QueryRules defaults() {
        return OpenRlhfSettings.defaults().rules();
    }

    /**
     * Reads the two settings.
     *
     * @throws ConfigException naming {@code markersKey} or {@code tokensKey} when a list is empty or has an empty entry
     */
    public static QueryRules parse(String markersKey, String markers, String tokensKey, String tokens) {
        List<String> found = new ArrayList<>();
        for (String entry : entries(markersKey, markers)) {
            List<String> template = TEMPLATES.get(entry.trim());
            if (template != null) {
                template.stream().filter(m -> !found.contains(m)).forEach(found::add);
            } else if (!found.contains(entry)) {
                found.add(entry);
            }
        }
        return new QueryRules(found, entries(tokensKey, tokens));
    }

    private static List<String> entries(String key, String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                current.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else if (c == ',') {
                out.add(entry(key, current.toString()));
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(entry(key, current.toString()));
        return out;
    }

    private static String entry(String key, String text) {
        if (text.isBlank()) {
            throw new ConfigException(key, "has an empty entry; write a comma-separated list");
        }
        return text;
    }

    private static Map<String, List<String>> templates() {
        Map<String, List<String>> t = new LinkedHashMap<>();
        t.put("chatml", List.of("<|im_start|>assistant\n", "<|im_start|>assistant"));          // Qwen, Yi, OpenHermes
        t.put("llama3", List.of("<|start_header_id|>assistant<|end_header_id|>\n\n",
                "<|start_header_id|>assistant<|end_header_id|>"));
        t.put("gemma", List.of("<start_of_turn>model\n", "<start_of_turn>model"));
        t.put("phi3", List.of("<|assistant|>\n", "<|assistant|>"));                           // Phi-3, Zephyr
        t.put("mistral", List.of("[/INST]"));                                                  // Mistral, Llama 2
        t.put("hh", List.of("\n\nAssistant:"));                                                // Anthropic HH-RLHF
        t.put("alpaca", List.of("### Response:\n", "### Response:"));
        t.put("deepseek", List.of("<｜Assistant｜>"));
        return Collections.unmodifiableMap(t);
    }
}
