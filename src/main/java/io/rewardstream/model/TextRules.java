package io.rewardstream.model;

import java.util.Locale;
import java.util.Optional;

/**
 * What a prompt or response text must be before it is encoded, wherever it comes from (a topic, an HTTP request):
 * present and not blank, at most a configured number of characters (a 10 MB text would be tokenized whole before
 * truncation keeps its first or last few hundred tokens), valid UTF-16 (no lone surrogate, which no UTF-8 encoder
 * can write), and free of control characters other than tab, line feed and carriage return. U+FFFD is accepted:
 * language models emit it when a token ends inside a character.
 *
 * @param maxChars most characters (UTF-16 code units) a text may have
 * @param limitKey the configuration key of {@code maxChars}, named when a text is too long
 */
public record TextRules(int maxChars, String limitKey) {

    public TextRules {
        if (maxChars < 1) {
            throw new IllegalArgumentException(limitKey + " must be at least 1");
        }
    }

    /** Empty when {@code text} may be encoded; otherwise why not, starting with {@code what} ("prompt"). */
    public Optional<String> problem(String what, String text) {
        if (text == null) {
            return Optional.of(what + " is missing");
        }
        if (text.isBlank()) {
            return Optional.of(what + " is empty");
        }
        if (text.length() > maxChars) {
            return Optional.of(String.format(Locale.ROOT, "%s has %,d characters; the limit is %,d (%s)", what,
                    text.length(), maxChars, limitKey));
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of(lone(what, c, i));
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of(lone(what, c, i));
            }
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return Optional.of(String.format(Locale.ROOT, "%s has the control character U+%04X at index %d",
                        what, (int) c, i));
            }
        }
        return Optional.empty();
    }

    private static String lone(String what, char c, int index) {
        return String.format(Locale.ROOT, "%s has a lone surrogate U+%04X at index %d: not valid UTF-16 text", what,
                (int) c, index);
    }
}
