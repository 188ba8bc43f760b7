package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncoderSourceTest {

    @Test
    void shouldNameEachGraphByTheSha256OfItsBytesWhateverArrayHoldsThem() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        EncoderSource first = new EncoderSource("a", false, abc, new byte[0]);
        EncoderSource copy = new EncoderSource("b", false, abc.clone(), new byte[0]);
        EncoderSource other = new EncoderSource("c", false, "abd".getBytes(StandardCharsets.US_ASCII), new byte[0]);

        // FIPS 180-2's example: SHA-256("abc")
        String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(first.sha256()).isEqualTo(expected);
        assertThat(first.sha256()).isEqualTo(expected);
        assertThat(copy.sha256()).isEqualTo(expected);
        assertThat(other.sha256()).isNotEqualTo(expected).isEqualTo(EncoderSource.sha256(other.onnxBytes()));
    }
}
