package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfCheckpointTest {

    @TempDir
    Path temp;

    @Test
    void shouldReadBackEveryTensorWrittenAcrossSeveralBlocksWithSharedKeyPrefixes() throws IOException {
        // Given: 11 tensors whose names share long prefixes, three keys a block
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            String name = "bert/encoder/layer_" + i + "/attention/self/query/" + (i % 2 == 0 ? "kernel" : "bias");
            float[] v = new float[i % 2 == 0 ? 6 : 3];
            for (int k = 0; k < v.length; k++) {
                v[k] = i + k / 10f;
            }
            values.put(name, v);
            shapes.put(name, i % 2 == 0 ? new long[] {2, 3} : new long[] {3});
        }
        Path index = TfCheckpointWriter.write(temp, "model.ckpt", values, shapes, 3);

        // When
        Map<String, TfCheckpoint.Tensor> read = TfCheckpoint.read(index);

        // Then
        assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(values.keySet());
        values.forEach((name, v) -> {
            assertThat(read.get(name).values()).as(name).containsExactly(v);
            assertThat(read.get(name).shape()).as(name).containsExactly(shapes.get(name));
        });
    }

    @Test
    void shouldRefuseAFileThatIsNotACheckpointIndexAndAMissingShard() throws IOException {
        Path notIndex = Files.writeString(temp.resolve("model.ckpt.index"), "not a table");
        Path wrongName = Files.writeString(temp.resolve("model.ckpt.meta"), "x");
        Path index = TfCheckpointWriter.write(Files.createDirectories(temp.resolve("b")), "m",
                Map.of("w", new float[] {1f}), Map.of("w", new long[] {1}), 4);
        Files.delete(index.resolveSibling("m.data-00000-of-00001"));

        assertThatThrownBy(() -> TfCheckpoint.read(notIndex)).hasMessageContaining("not a TensorFlow checkpoint index");
        assertThatThrownBy(() -> TfCheckpoint.read(wrongName)).hasMessageContaining("ends in .index");
        assertThatThrownBy(() -> TfCheckpoint.read(index)).hasMessageContaining("m.data-00000-of-00001 is missing");
    }
}
