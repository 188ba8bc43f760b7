package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Java WordPiece tokenizer against the HuggingFace library it stands in for, id for id. */
class BertWordPieceTest {

    private static final Path SHARED = Path.of("../shared/data/hh-rlhf-harmless-4k.jsonl");

    @Test
    void shouldGiveTheLibrarysIdsForEveryBuiltInTokenizerOnCraftedRandomAndSharedTexts() {
        // Given hand-picked texts, random texts from blocks where normalisation acts (some code points in them are
        // ones the JDK and the library classify differently), and every text of the shared data
        List<String> texts = new ArrayList<>(crafted());
        texts.addAll(random(new Random(7), 5000));
        texts.addAll(shared());
        Set<String> tokenizerFiles = new LinkedHashSet<>();
        for (String name : EncoderSource.BUILTIN) {
            tokenizerFiles.add(new String(EncoderSource.resolve(name).tokenizerJson(), StandardCharsets.UTF_8));
        }
        for (String json : tokenizerFiles) {
            try (EncoderTokenizer tokenizer = new EncoderTokenizer(json.getBytes(StandardCharsets.UTF_8))) {
                // When tokenized by the tokenizer in service (Java where it can) and by the library's Encodings
                // Then every text has the library's ids
                assertThat(tokenizer.awaitJava(Duration.ofMinutes(2))).isTrue();
                assertSameIds(tokenizer, texts);
            }
        }
    }

    @Test
    void shouldTokenizeTheSharedDataAndCommonScriptsInJava() {
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(
                EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson())) {
            assertThat(tokenizer.awaitJava(Duration.ofMinutes(2))).isTrue();
            BitSet java = tokenizer.javaCodePoints();

            assertThat(shared()).allSatisfy(text -> assertThat(tokenizer.tokenizesInJava(text)).isTrue());
            for (int[] block : new int[][] {{0x20, 0x7E}, {0xA0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x4FF},
                    {0x2000, 0x206F}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0x1F300, 0x1F5FF}}) {
                for (int c = block[0]; c <= block[1]; c++) {
                    if (Character.isDefined(c)) {
                        assertThat(java.get(c) || c < 0x80).as("U+%04X", c).isTrue();
                    }
                }
            }
            // The rules themselves, not just the probe, match the library almost everywhere in the BMP
            BitSet bmp = java.get(0, 0x10000);
            assertThat(bmp.cardinality()).isGreaterThan((0x10000 - 0x800) * 99 / 100 - 0x80);
        }
    }

    @Test
    void shouldLeaveATokenizerBeyondBertWordPieceToTheNativeLibrary() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = (ObjectNode) mapper.readTree(EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson());
        json.set("normalizer", mapper.readTree("{\"type\": \"Lowercase\"}"));

        try (EncoderTokenizer tokenizer = new EncoderTokenizer(mapper.writeValueAsBytes(json))) {
            assertThat(tokenizer.awaitJava(Duration.ofMinutes(2))).isFalse();
            assertThat(tokenizer.inJava()).isFalse();
            assertThat(tokenizer.tokenize(List.of("Café naïve"))[0])
                    .containsExactly(tokenizer.tokenizeThroughEncodings(List.of("Café naïve"))[0]);
        }
    }

    @Test
    void shouldMapSpecialTokensInTheTextToTheirIdsAndLongWordsToUnknown() {
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(
                EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson())) {
            assertThat(tokenizer.awaitJava(Duration.ofMinutes(2))).isTrue();
            long[][] ids = tokenizer.tokenize(List.of("a[SEP]b [CLS]", "y".repeat(101), "y".repeat(100)));

            assertThat(ids[0]).contains(101L, 102L);
            assertThat(ids[1]).containsExactly(100L);
            assertThat(ids[2]).doesNotContain(100L);
        }
    }

    private static List<String> shared() {
        List<String> texts = new ArrayList<>();
        if (Files.isRegularFile(SHARED)) {
            for (PreferencePair p : PairFile.read(SHARED, false).records()) {
                texts.add(p.prompt());
                texts.add(p.chosen());
                texts.add(p.rejected());
            }
        }
        return texts;
    }

    private static void assertSameIds(EncoderTokenizer tokenizer, List<String> texts) {
        long[][] served = tokenizer.tokenize(texts);
        for (int from = 0; from < texts.size(); from += 2000) {
            List<String> slice = texts.subList(from, Math.min(texts.size(), from + 2000));
            long[][] reference = tokenizer.tokenizeThroughEncodings(slice);
            for (int i = 0; i < slice.size(); i++) {
                assertThat(served[from + i]).as("text %d: %s (code points %s)", from + i, slice.get(i),
                        slice.get(i).codePoints().limit(40).mapToObj(Integer::toHexString).toList())
                        .containsExactly(reference[i]);
            }
        }
    }

    private static List<String> crafted() {
        return List.of("Hello, World!", "Café naïve résumé", "東京は大きい都市です", "emoji 🎉🚀 and ZWJ 👩‍👩‍👧",
                "tabs\tand\nnew lines\r\n", "", "   ", "un\u00ADsoft\u00ADhyphen", "ﬁ ligature", "İstanbul ΣΑΣ ὈΔΥΣΣΕΎΣ",
                "[CLS] [SEP] [MASK] [PAD][UNK] inside[SEP]words", "[SEP", "x".repeat(500), "Ελληνικά και русский",
                "nul\u0000char \uFFFD replacement \u200B zero width \u2028 line \u00A0 nbsp \u3000 ideographic",
                "control \u0001\u001F\u007F\u0085\u000B\u000C chars", "a" + "é".repeat(99), "a" + "é".repeat(100),
                "Ǆemo ǅ ǆ ﬀ ß ẞ K Å", "the quick brown fox's \"quotes\" — dashes – and … ellipsis",
                "ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "𝐀𝐁𝐂 math bold", "\uD800 lone surrogate", "mixed中文english混合",
                "new mark \u07FD in NKo, unassigned \u0378 here", "\uD83E\uDD70 newer emoji 🫠");
    }

    /** Texts of words drawn from blocks where normalisation does something: accents, cases, marks, punctuation. */
    private static List<String> random(Random random, int count) {
        int[][] blocks = {{0x20, 0x7E}, {0xA0, 0x24F}, {0x300, 0x36F}, {0x370, 0x3FF}, {0x400, 0x52F},
                {0x7C0, 0x7FF}, {0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x2C00, 0x2C7F}, {0x3000, 0x303F},
                {0x4E00, 0x4E80}, {0xA640, 0xA7FF}, {0xFF00, 0xFF60}, {0x1F300, 0x1FAFF}, {0x10400, 0x1044F}};
        List<String> texts = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            StringBuilder s = new StringBuilder();
            int length = 1 + random.nextInt(40);
            for (int i = 0; i < length; i++) {
                int[] block = random.nextInt(3) == 0 ? blocks[random.nextInt(blocks.length)] : blocks[0];
                s.appendCodePoint(block[0] + random.nextInt(block[1] - block[0] + 1));
            }
            texts.add(s.toString());
        }
        return texts;
    }
}
