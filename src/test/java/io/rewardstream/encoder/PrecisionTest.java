package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.runtime.Device;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default encoder in int8 against fp32: what makes int8 fit to be the scorer's default. */
class PrecisionTest {

    private static TextEncoder fp32;
    private static TextEncoder int8;

    @BeforeAll
    static void load() {
        EncoderSource source = EncoderSource.resolve(EncoderSource.DEFAULT);
        fp32 = TextEncoder.load(source, 1, 32, Device.CPU, Precision.FP32);
        int8 = TextEncoder.load(source, 1, 32, Device.CPU, Precision.INT8);
    }

    @AfterAll
    static void close() {
        fp32.close();
        int8.close();
    }

    private static List<TokenSequence> sequences(TextEncoder encoder, String... texts) {
        TokenLayout layout = encoder.tokenizer().layout(256);
        return java.util.Arrays.stream(encoder.tokenizer().tokenize(List.of(texts))).map(layout::responseAlone)
                .toList();
    }

    @Test
    void shouldGiveAResponseTheSameVectorWhateverItsBatchMates() {
        // Given a short response, alone and padded beside a long one (dynamic int8 quantisation changes it: README)
        List<TokenSequence> pair = sequences(int8, "Sure, here you go.",
                "I cannot help with that, because it could hurt someone; here is why, at length. ".repeat(8));

        float[] alone = int8.embedBatch(pair.subList(0, 1))[0];
        float[] batched = int8.embedBatch(pair)[0];

        assertThat(batched).containsExactly(alone);
    }

    @Test
    void shouldStayCloseToFp32AndRunTheInt8Graph() {
        List<TokenSequence> texts = sequences(fp32, "How do I bake bread?", "Mix flour, water, yeast and salt.",
                "I won't help with that.");

        float[][] reference = fp32.embed(texts);
        float[][] quantised = int8.embed(texts);

        assertThat(int8.precision()).isEqualTo(Precision.INT8);
        assertThat(int8.identity()).isNotEqualTo(fp32.identity()).startsWith(fp32.source().sha256());
        for (int i = 0; i < texts.size(); i++) {
            double cosine = 0;
            for (int d = 0; d < reference[i].length; d++) {
                cosine += reference[i][d] * quantised[i][d];
            }
            assertThat(cosine).isGreaterThan(0.99).isLessThan(1.0);
        }
    }

    @Test
    void shouldParseBothNamesAndRefuseAnotherNamingTheKey() {
        assertThat(Precision.parse("scoring.precision", " INT8 ")).isEqualTo(Precision.INT8);
        assertThat(Precision.parse("scoring.precision", "fp32")).isEqualTo(Precision.FP32);
        assertThatThrownBy(() -> Precision.parse("scoring.precision", "bf16"))
                .hasMessageContaining("scoring.precision").hasMessageContaining("'bf16'");
    }
}
