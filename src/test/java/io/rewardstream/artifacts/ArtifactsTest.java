package io.rewardstream.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.ArtifactRef;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArtifactsTest {

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Map<Integer, ArtifactChunk> byPart(List<ArtifactChunk> chunks) {
        Map<Integer, ArtifactChunk> parts = new HashMap<>();
        chunks.forEach(c -> parts.put(c.getPart(), c));
        return parts;
    }

    @Test
    void shouldSplitIntoChunksOfAtMostTheChunkSizeAndJoinBackToTheSameBytes() {
        // Given
        byte[] file = bytes(10_001, 1);

        // When
        List<ArtifactChunk> chunks = Artifacts.split(file, Artifacts.ONNX, 4096);

        // Then
        assertThat(chunks).hasSize(3).allSatisfy(c -> assertThat(c.getData().remaining()).isLessThanOrEqualTo(4096));
        assertThat(chunks).extracting(Artifacts::key).containsExactly(chunks.get(0).getSha256() + "/0",
                chunks.get(0).getSha256() + "/1", chunks.get(0).getSha256() + "/2");
        assertThat(Artifacts.join(Artifacts.ref(chunks), byPart(chunks))).isEqualTo(file);
    }

    @Test
    void shouldRefuseAMissingPartAndBytesThatDoNotMatchTheChecksum() {
        // Given
        List<ArtifactChunk> chunks = Artifacts.split(bytes(9000, 2), Artifacts.ONNX, 4096);
        ArtifactRef ref = Artifacts.ref(chunks);
        Map<Integer, ArtifactChunk> missing = byPart(chunks);
        missing.remove(1);
        Map<Integer, ArtifactChunk> tampered = byPart(chunks);
        ArtifactChunk last = chunks.get(2);
        byte[] data = new byte[last.getData().remaining()];
        last.getData().duplicate().get(data);
        data[0] ^= 1;
        tampered.put(2, ArtifactChunk.newBuilder(last).setData(ByteBuffer.wrap(data)).build());

        // When / Then
        assertThatThrownBy(() -> Artifacts.join(ref, missing)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("lacks part 1 of 3");
        assertThatThrownBy(() -> Artifacts.join(ref, tampered)).isInstanceOf(ArtifactException.class)
                .hasMessageContaining("has sha256");
    }

    @Test
    void shouldReadTheChunksOfOneFileFromATopicThatHoldsOthersToo() {
        // Given
        byte[] wanted = bytes(5000, 3);
        List<ArtifactChunk> wantedChunks = Artifacts.split(wanted, Artifacts.ONNX, 1024);
        List<ArtifactChunk> other = Artifacts.split(bytes(3000, 4), Artifacts.ONNX, 1024);
        List<ArtifactChunk> topic = new ArrayList<>(other.subList(0, 1));
        List<ArtifactChunk> reversed = new ArrayList<>(wantedChunks);
        Collections.reverse(reversed);
        topic.addAll(reversed);
        topic.addAll(other.subList(1, other.size()));

        // When
        byte[] read;
        try (ArtifactReader reader = MockArtifactTopic.reader(topic)) {
            read = reader.read(Artifacts.ref(wantedChunks));
        }

        // Then
        assertThat(read).isEqualTo(wanted);
    }

    @Test
    void shouldSayWhichPartIsMissingWhenTheTopicEndsWithoutIt() {
        // Given
        List<ArtifactChunk> chunks = new ArrayList<>(Artifacts.split(bytes(5000, 5), Artifacts.ONNX, 1024));
        ArtifactRef ref = Artifacts.ref(chunks);
        chunks.remove(3);

        // When / Then
        try (ArtifactReader reader = MockArtifactTopic.reader(chunks)) {
            assertThatThrownBy(() -> reader.read(ref)).isInstanceOf(ArtifactException.class)
                    .hasMessageContaining("lacks part 3 of 5");
        }
    }
}
