package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderTokenizerTest {

    @Test
    void shouldGiveTheIdsTheLibrarysEncodingsGiveForEveryKindOfText() {
        // Given texts with accents, other scripts, emoji, control and zero-width characters, an empty one, and the
        // shared HH-RLHF pairs where they are present
        List<String> texts = new ArrayList<>(List.of("Hello, World!", "Café naïve résumé", "東京は大きい都市です",
                "emoji 🎉🚀 and ZWJ 👩‍👩‍👧", "tabs\tand\nnew lines\r\n", "", "   ", "un­soft­hyphen", "ﬁ ligature",
                "[CLS] [SEP] [MASK] not special here", "x".repeat(500), "Ελληνικά και русский"));
        Path shared = Path.of("../shared/data/hh-rlhf-harmless-4k.jsonl");
        if (Files.isRegularFile(shared)) {
            for (PreferencePair p : PairFile.read(shared, false).records().subList(0, 300)) {
                texts.add(p.prompt());
                texts.add(p.chosen());
            }
        }
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(
                EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson())) {
            // When tokenized through the ids alone and through the library's Encoding objects
            long[][] fast = tokenizer.tokenize(texts);
            long[][] reference = tokenizer.tokenizeThroughEncodings(texts);

            // Then every text has the same ids
            assertThat(fast).hasSameDimensionsAs(reference);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(fast[i]).as("text %d: %s", i, texts.get(i)).containsExactly(reference[i]);
            }
            assertThat(tokenizer.tokenize(List.of())).isEmpty();
        }
    }
}
