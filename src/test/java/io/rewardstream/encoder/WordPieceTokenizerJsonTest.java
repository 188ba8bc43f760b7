package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerJsonTest {

    private static final List<String> TEXTS = List.of("Hello, World! How are you doing today?",
            "Naïve café owners CAN'T stop re-tokenizing 12,345.67 numbers...", "日本語のテキスト and emoji 🙂 too",
            "unbelievably antidisestablishmentarianism", "tabs\tand\nnewlines  and   spaces", "ÀÉÎÕÜ façade");

    @Test
    void shouldTokenizeAsThePublishedTokenizerOfTheSameVocabularyDoes() throws IOException {
        // Given: MiniLM's published tokenizer.json and the vocabulary it holds
        byte[] published = EncoderSource.resolve(EncoderSource.MINILM).tokenizerJson();
        JsonNode vocab = new ObjectMapper().readTree(published).at("/model/vocab");
        String[] byId = new String[vocab.size()];
        vocab.fields().forEachRemaining(e -> byId[e.getValue().asInt()] = e.getKey());

        // When
        byte[] made = WordPieceTokenizerJson.of(Arrays.asList(byId), true);

        // Then
        try (EncoderTokenizer expected = new EncoderTokenizer(published);
             EncoderTokenizer actual = new EncoderTokenizer(made)) {
            long[][] want = expected.tokenize(TEXTS);
            long[][] got = actual.tokenize(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(got[i]).as(TEXTS.get(i)).containsExactly(want[i]);
            }
            assertThat(actual.layout(32).joint(got[0], got[1]).ids()).containsExactly(
                    expected.layout(32).joint(want[0], want[1]).ids());
        }
    }

    @Test
    void shouldRefuseAVocabularyWithoutBertsSpecialTokensOrWithATokenTwice() {
        List<String> noSep = List.of("[PAD]", "[UNK]", "[CLS]", "a", "b");
        List<String> twice = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "a"));

        assertThatThrownBy(() -> WordPieceTokenizerJson.of(noSep, true)).hasMessageContaining("no [SEP] token");
        assertThatThrownBy(() -> WordPieceTokenizerJson.of(twice, true))
                .hasMessageContaining("lists 'a' twice (lines 5 and 7)");
    }
}
