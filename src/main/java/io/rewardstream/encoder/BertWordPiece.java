package io.rewardstream.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tokenization of a {@code tokenizer.json} made of a BERT normaliser, the BERT pre-tokenizer and a WordPiece
 * model (every BERT-family encoder the project ships), done in Java. It gives the same ids as the HuggingFace
 * library for such a file, without crossing into native code, without that library's worker threads and without
 * building its per-token offsets: in the scorer's profile with the model's cost removed, the native tokenizer took
 * about 40% of the process's CPU.
 *
 * <p>The steps, as the library defines them for this configuration:
 * <ol>
 *   <li>Special tokens marked {@code normalized: false} are cut out of the raw text first and map to their ids.</li>
 *   <li>Normalisation of the rest: drop NUL, U+FFFD and control characters (categories Cc, Cf, Co, Cs; tab,
 *       newline and carriage return are whitespace; unassigned code points stay), turn every whitespace
 *       character into a space; put spaces around CJK ideographs; if accents are stripped (by default when
 *       lower-casing), decompose (NFD) and drop non-spacing marks; lower-case character by character.</li>
 *   <li>Split on whitespace, and make every punctuation character (ASCII punctuation or a Unicode P* category) a
 *       word of its own.</li>
 *   <li>WordPiece: a word longer than {@code max_input_chars_per_word} characters is the unknown token; otherwise the
 *       longest vocabulary entry that starts it, then the longest continuation ({@code ##} prefixed) from there on,
 *       and so on; a word with a piece that matches nothing is the unknown token as a whole.</li>
 * </ol>
 *
 * <p>Character classes come from the JDK's Unicode tables, which can lag or lead the library's for characters
 * assigned in recent Unicode versions; {@code BertWordPieceTest} compares the two on every code point of the Basic
 * Multilingual Plane and on the shared preference data. Thread-safe: immutable once built.
 */
public final class BertWordPiece {

    private final Map<String, Integer> vocabulary;
    private final Map<String, Integer> continuations;
    private final int unknownId;
    private final int maxCharsPerWord;
    private final boolean cleanText;
    private final boolean chineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;
    private final String[] specialTexts;
    private final int[] specialIds;
    /** Code points this tokenizer may handle (null: all); a text with any other is not tokenized here. */
    private final BitSet handled;

    private BertWordPiece(Map<String, Integer> vocabulary, int unknownId, int maxCharsPerWord,
                          boolean cleanText, boolean chineseChars, boolean stripAccents, boolean lowercase,
                          String[] specialTexts, int[] specialIds, Map<String, Integer> continuations,
                          BitSet handled) {
        this.vocabulary = vocabulary;
        this.continuations = continuations;
        this.unknownId = unknownId;
        this.maxCharsPerWord = maxCharsPerWord;
        this.cleanText = cleanText;
        this.chineseChars = chineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
        this.specialTexts = specialTexts;
        this.specialIds = specialIds;
        this.handled = handled;
    }

    /** The code points this tokenizer handles (a copy), or null when it handles all. */
    BitSet handled() {
        return handled == null ? null : (BitSet) handled.clone();
    }

    /** The same rules, declining (see {@link #tokenize}) any text with a code point outside {@code codePoints}. */
    public BertWordPiece restrictedTo(BitSet codePoints) {
        return new BertWordPiece(vocabulary, unknownId, maxCharsPerWord, cleanText, chineseChars, stripAccents,
                lowercase, specialTexts, specialIds, continuations, (BitSet) codePoints.clone());
    }

    /**
     * The Java tokenizer for {@code root} (a parsed tokenizer.json), or empty when the file asks for anything
     * beyond BERT normalisation, BERT pre-tokenization and WordPiece, in which case the native library serves it.
     */
    public static Optional<BertWordPiece> of(JsonNode root) {
        JsonNode normalizer = root.path("normalizer");
        JsonNode pre = root.path("pre_tokenizer");
        JsonNode model = root.path("model");
        if (!"BertNormalizer".equals(normalizer.path("type").asText()) || !"BertPreTokenizer".equals(
                pre.path("type").asText()) || !"WordPiece".equals(model.path("type").asText())
                || !model.path("vocab").isObject() || !model.path("unk_token").isTextual()) {
            return Optional.empty();
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocabulary.put(e.getKey(), e.getValue().asInt());
        }
        Integer unknown = vocabulary.get(model.path("unk_token").asText());
        if (unknown == null) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode added : root.path("added_tokens")) {
            if (added.path("normalized").asBoolean(true) || added.path("single_word").asBoolean(false)
                    || added.path("lstrip").asBoolean(false) || added.path("rstrip").asBoolean(false)
                    || added.path("content").asText().isEmpty()) {
                return Optional.empty();
            }
            texts.add(added.path("content").asText());
            ids.add(added.path("id").asInt());
        }
        String prefix = model.path("continuing_subword_prefix").asText("##");
        Map<String, Integer> continuations = new HashMap<>();
        vocabulary.forEach((piece, id) -> {
            if (piece.startsWith(prefix)) {
                continuations.put(piece.substring(prefix.length()), id);
            }
        });
        boolean lower = normalizer.path("lowercase").asBoolean(true);
        JsonNode strip = normalizer.path("strip_accents");
        return Optional.of(new BertWordPiece(vocabulary, unknown, model.path("max_input_chars_per_word").asInt(100),
                normalizer.path("clean_text").asBoolean(true), normalizer.path("handle_chinese_chars").asBoolean(true),
                strip.isBoolean() ? strip.asBoolean() : lower, lower, texts.toArray(String[]::new),
                ids.stream().mapToInt(Integer::intValue).toArray(), continuations, null));
    }

    /**
     * Token ids of {@code text}, without special tokens around it and without truncation; null when the text has a
     * code point this tokenizer was {@linkplain #restrictedTo restricted} from.
     */
    public long[] tokenize(String text) {
        if (handled != null) {
            for (int i = 0; i < text.length(); ) {
                int c = text.codePointAt(i);
                if (c >= 0x80 && !handled.get(c)) {
                    return null;
                }
                i += Character.charCount(c);
            }
        }
        IdList out = new IdList(Math.max(8, text.length() / 3));
        int from = 0;
        while (from < text.length()) {
            int at = text.length();
            int special = -1;
            for (int s = 0; s < specialTexts.length; s++) {
                int found = text.indexOf(specialTexts[s], from);
                // Leftmost match; of two starting at the same place, the longer.
                if (found >= 0 && (found < at || (found == at && specialTexts[s].length()
                        > specialTexts[special].length()))) {
                    at = found;
                    special = s;
                }
            }
            if (at > from) {
                words(normalize(text.substring(from, at)), out);
            }
            if (special < 0) {
                break;
            }
            out.add(specialIds[special]);
            from = at + specialTexts[special].length();
        }
        return out.toArray();
    }

    private String normalize(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 8);
        boolean ascii = true;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            ascii &= c < 0x80;
            if (cleanText) {
                if (c == 0 || c == 0xFFFD || isControl(c)) {
                    continue;
                }
                if (isWhitespace(c)) {
                    cleaned.append(' ');
                    continue;
                }
            }
            if (chineseChars && isChinese(c)) {
                cleaned.append(' ').appendCodePoint(c).append(' ');
            } else {
                cleaned.appendCodePoint(c);
            }
        }
        String s = cleaned.toString();
        if (stripAccents && !ascii) {
            s = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); ) {
                int c = s.codePointAt(i);
                i += Character.charCount(c);
                if (Character.getType(c) != Character.NON_SPACING_MARK) {
                    kept.appendCodePoint(c);
                }
            }
            s = kept.toString();
        }
        if (lowercase) {
            s = ascii ? asciiLower(s) : lower(s);
        }
        return s;
    }

    /** Character by character, full mappings (one character may become several), no context rules. */
    private static String lower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                out.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
            } else {
                out.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
            }
        }
        return out.toString();
    }

    private static String asciiLower(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 32;
            }
        }
        return new String(chars);
    }

    /** Splits on whitespace and around punctuation, and adds each word's pieces. */
    private void words(String s, IdList out) {
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isWhitespace(c)) {
                if (start >= 0) {
                    pieces(s, start, i, out);
                    start = -1;
                }
            } else if (isPunctuation(c)) {
                if (start >= 0) {
                    pieces(s, start, i, out);
                    start = -1;
                }
                pieces(s, i, next, out);
            } else if (start < 0) {
                start = i;
            }
            i = next;
        }
        if (start >= 0) {
            pieces(s, start, s.length(), out);
        }
    }

    /** WordPiece on s[from, to). */
    private void pieces(String s, int from, int to, IdList out) {
        if (s.codePointCount(from, to) > maxCharsPerWord) {
            out.add(unknownId);
            return;
        }
        int mark = out.size();
        int start = from;
        while (start < to) {
            Map<String, Integer> table = start == from ? vocabulary : continuations;
            Integer id = null;
            int end = to;
            while (end > start) {
                id = table.get(s.substring(start, end));
                if (id != null) {
                    break;
                }
                end -= end - 2 >= start && Character.isLowSurrogate(s.charAt(end - 1))
                        && Character.isHighSurrogate(s.charAt(end - 2)) ? 2 : 1;
            }
            if (id == null) {
                out.truncate(mark);
                out.add(unknownId);
                return;
            }
            out.add(id);
            start = end;
        }
    }

    static boolean isWhitespace(int c) {
        if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
            return true;
        }
        if (c < 0x80) {
            return c == 0x0B || c == 0x0C;
        }
        // Unicode White_Space: the separators plus U+0085.
        return c == 0x85 || Character.isSpaceChar(c);
    }

    static boolean isControl(int c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    static boolean isPunctuation(int c) {
        if (c < 0x80) {
            return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60)
                    || (c >= 0x7B && c <= 0x7E);
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    static boolean isChinese(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    /** A growable list of ids. */
    private static final class IdList {
        private long[] ids;
        private int size;

        IdList(int capacity) {
            ids = new long[capacity];
        }

        void add(long id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int size() {
            return size;
        }

        void truncate(int to) {
            size = to;
        }

        long[] toArray() {
            return Arrays.copyOf(ids, size);
        }
    }
}
