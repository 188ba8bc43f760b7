package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.runtime.OrtRuntime;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class LayerMeanGraphTest {

    @Test
    void shouldOutputTheMeanOfEveryNamedLayerUnderOneOutput() throws Exception {
        float[] table = TinyEncoders.embeddingTable(5);
        byte[] rewritten = LayerMeanGraph.rewrite(TinyEncoders.twoNamedLayers(table));
        long[][] ids = {{101, 7592, 102}};

        float[][][] hidden;
        try (OrtSession session = OrtRuntime.cpuSession(rewritten, 1);
             OnnxTensor inputIds = OnnxTensor.createTensor(OrtRuntime.environment(), ids);
             OnnxTensor mask = OnnxTensor.createTensor(OrtRuntime.environment(), new long[][] {{1, 1, 1}});
             OrtSession.Result result = session.run(Map.of("input_ids", inputIds, "attention_mask", mask))) {
            assertThat(session.getOutputNames()).containsExactly(LayerMeanGraph.OUTPUT);
            hidden = (float[][][]) result.get(0).getValue();
        }

        float[][][] lookup = TinyEncoders.lookup(table, ids);
        for (int t = 0; t < ids[0].length; t++) {
            for (int h = 0; h < TinyEncoders.HIDDEN; h++) {
                assertThat(hidden[0][t][h]).isCloseTo(2 * lookup[0][t][h], within(1e-5f));
            }
        }
    }

    @Test
    void shouldRefuseAGraphWithoutNamedLayersSayingWhatItLooksFor() {
        byte[] plain = TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(1), "last_hidden_state");

        IllegalArgumentException e = Assertions.assertThrows(IllegalArgumentException.class,
                () -> LayerMeanGraph.rewrite(plain));

        assertThat(e.getMessage()).contains("/encoder/layer.N/output/LayerNorm/Add_1").contains("0 transformer layer");
    }

    @Test
    void shouldBuildTheDefaultEncoderFromMiniLmWithItsOwnIdentity() {
        EncoderSource layerMean = EncoderSource.resolve(EncoderSource.DEFAULT);
        EncoderSource plain = EncoderSource.resolve(EncoderSource.MINILM);

        assertThat(layerMean.builtin()).isTrue();
        assertThat(layerMean.tokenizerJson()).isEqualTo(plain.tokenizerJson());
        assertThat(layerMean.sha256()).isNotEqualTo(plain.sha256())
                .as("rebuilt the same way every time, so releases can be verified").isEqualTo(
                        new EncoderSource("x", true, LayerMeanGraph.rewrite(plain.onnxBytes()), new byte[0]).sha256());
    }

    @Test
    void shouldBuildTheLayerMeanE5FromItsPublishedGraphAndLoadIt() {
        EncoderSource layerMean = EncoderSource.resolve(EncoderSource.E5_LAYER_MEAN);
        EncoderSource plain = EncoderSource.resolve("e5-small-v2");

        assertThat(layerMean.builtin()).isTrue();
        assertThat(layerMean.name()).isEqualTo(EncoderSource.E5_LAYER_MEAN);
        assertThat(layerMean.tokenizerJson()).isEqualTo(plain.tokenizerJson());
        assertThat(layerMean.sha256()).isNotEqualTo(plain.sha256());
        assertThat(EncoderSource.resolve("E5-Small-V2-Layer-Mean")).as("resolved once per JVM").isSameAs(layerMean);
        try (TextEncoder encoder = TextEncoder.load(layerMean, 1, 8)) {
            assertThat(encoder.hiddenSize()).isEqualTo(384);
            assertThat(encoder.poolsInGraph()).isTrue();
        }
    }
}
