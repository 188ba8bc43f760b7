package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.onnx.TinyEncoders;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bring-your-own encoders: a directory with an ONNX export and its tokenizer.json. */
class EncoderDirectoryTest {

    @TempDir
    Path temp;

    private Path encoderDir(byte[] onnx) throws IOException {
        Path dir = temp.resolve("encoder");
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), onnx);
        Files.write(dir.resolve("tokenizer.json"), EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson());
        return dir;
    }

    @Test
    void shouldTrainAndScoreWithAnEncoderFromADirectoryAndCopyItIntoTheModel() throws IOException {
        Path encoder = encoderDir(TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(3), "last_hidden_state"));
        Path model = temp.resolve("model");

        ModelFixtures.train(new SyntheticPreferences(2, 0).pairs(100), EncoderSource.resolve(encoder.toString()),
                FeatureLayout.SEPARATE, model);

        assertThat(model.resolve(ModelDirectory.ENCODER)).exists();
        assertThat(model.resolve(ModelDirectory.TOKENIZER)).exists();
        try (RewardModel loaded = RewardModel.load(model, 1)) {
            assertThat(loaded.extractor().width()).isEqualTo(3 * TinyEncoders.HIDDEN);
            assertThat(loaded.score(List.of(new PromptResponse("a", "b")))).hasSize(1);
        }
    }

    @Test
    void shouldRefuseAnEncoderWithNothingToPool() throws IOException {
        EncoderSource source = EncoderSource.resolve(encoderDir(TinyEncoders.withoutHiddenStates()).toString());

        assertThatThrownBy(() -> TextEncoder.load(source, 1, 8)).isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has no [batch, seq, hidden] output").hasMessageContaining("sentence_embedding");
    }

    @Test
    void shouldRefuseADirectoryWithoutTokenizer() throws IOException {
        Path dir = encoderDir(TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(3), "last_hidden_state"));
        Files.delete(dir.resolve("tokenizer.json"));

        assertThatThrownBy(() -> EncoderSource.resolve(dir.toString())).isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("has no tokenizer.json");
    }

    @Test
    void shouldRefuseAFileThatIsNotAnOnnxGraph() throws IOException {
        EncoderSource source = EncoderSource.resolve(encoderDir("not a model".getBytes()).toString());

        assertThatThrownBy(() -> TextEncoder.load(source, 1, 8)).isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("is not a loadable ONNX graph");
    }

    @Test
    void shouldRefuseAnUnknownEncoderName() {
        assertThatThrownBy(() -> EncoderSource.resolve("no-such-encoder")).isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("neither a built-in encoder");
    }
}
