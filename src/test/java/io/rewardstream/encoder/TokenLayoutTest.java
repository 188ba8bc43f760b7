package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenLayoutTest {

    private static final long CLS = 101;
    private static final long SEP = 102;
    private final TokenLayout layout = new TokenLayout(new long[] {CLS}, new long[] {SEP}, 12);

    @Test
    void shouldLayOutPromptAndResponseAsTwoSegmentsWhenTheyFit() {
        TokenSequence s = layout.joint(new long[] {1, 2, 3}, new long[] {7, 8});

        assertThat(s.ids()).containsExactly(CLS, 1, 2, 3, SEP, 7, 8, SEP);
        assertThat(s.typeIds()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);
        assertThat(s.truncated()).isFalse();
    }

    @Test
    void shouldCutThePromptFromItsStartAndKeepTheResponseWhole() {
        long[] prompt = {1, 2, 3, 4, 5, 6, 7, 8};
        long[] response = {20, 21, 22, 23, 24};

        TokenSequence s = layout.joint(prompt, response);

        assertThat(s.length()).isEqualTo(12);
        assertThat(s.ids()).containsExactly(CLS, 5, 6, 7, 8, SEP, 20, 21, 22, 23, 24, SEP);
        assertThat(s.truncated()).isTrue();
    }

    @Test
    void shouldDropThePromptThenCutTheResponseEndWhenTheResponseAloneIsTooLong() {
        long[] response = new long[20];
        Arrays.setAll(response, i -> 30 + i);

        TokenSequence s = layout.joint(new long[] {1, 2}, response);

        assertThat(s.ids()).startsWith(CLS, SEP, 30, 31).endsWith(38, SEP).hasSize(12);
        assertThat(s.truncated()).isTrue();
    }

    @Test
    void shouldKeepTheEndOfALongPromptAndTheStartOfALongResponseWhenEncodedApart() {
        long[] text = new long[15];
        Arrays.setAll(text, i -> 40 + i);

        assertThat(layout.promptAlone(text).ids()).containsExactly(CLS, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, SEP);
        assertThat(layout.responseAlone(text).ids()).containsExactly(CLS, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, SEP);
        assertThat(layout.responseAlone(new long[] {1}).truncated()).isFalse();
    }

    @Test
    void shouldRefuseAMaximumLengthWithNoRoomForText() {
        assertThatThrownBy(() -> new TokenLayout(new long[] {CLS}, new long[] {SEP}, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max length 4");
    }

    @Test
    void shouldKeepTheResponseTokensIntactWithTheRealTokenizer() {
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson())) {
            String prompt = "Tell me everything about the history of bread. ".repeat(40);
            String response = "Bread began with flat loaves baked on hot stones.";
            long[][] ids = tokenizer.tokenize(List.of(prompt, response));

            TokenSequence s = tokenizer.layout(64).joint(ids[0], ids[1]);

            assertThat(ids[0].length).isGreaterThan(64);
            assertThat(s.length()).isEqualTo(64);
            assertThat(s.truncated()).isTrue();
            long[] tail = Arrays.copyOfRange(s.ids(), 64 - 1 - ids[1].length, 63);
            assertThat(tail).containsExactly(ids[1]);
        }
    }
}
