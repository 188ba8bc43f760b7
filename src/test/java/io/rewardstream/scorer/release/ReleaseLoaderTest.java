package io.rewardstream.scorer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.rewardstream.artifacts.Artifacts;
import io.rewardstream.artifacts.MockArtifactTopic;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.encoder.EncoderPool;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.serving.ScoringModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseLoaderTest {

    private static final List<PromptResponse> ITEMS = List.of(
            new PromptResponse("How do I boil an egg?", "Put it in boiling water for eight minutes."),
            new PromptResponse("Say hi", "hi"),
            new PromptResponse("Explain tides", "word ".repeat(400)));

    private final Path dir = ModelFixtures.trained(FeatureLayout.SEPARATE);
    private final EncoderPool encoders = new EncoderPool();
    private final ReleaseLoader loader = new ReleaseLoader(new ModelLoader(encoders, 1, Device.CPU), null);

    @Test
    void shouldServeAPromotedReleaseExactlyAsTheModelDirectoryItCameFrom() {
        // Given
        ModelRelease release = Releases.of(dir, 9).build();

        // When
        try (ScoringModel served = loader.load(release); RewardModel reference = RewardModel.load(dir, 1)) {

            // Then
            assertThat(served.version()).isEqualTo(9L);
            assertThat(served.name()).isEqualTo(reference.metadata().name());
            List<RewardModel.Score> got = served.score(ITEMS);
            List<RewardModel.Score> want = reference.score(ITEMS);
            for (int i = 0; i < ITEMS.size(); i++) {
                assertThat(got.get(i).reward()).isCloseTo(want.get(i).reward(), offset(1e-6));
                assertThat(got.get(i).normalized()).isCloseTo(want.get(i).normalized(),
                        offset(1e-6));
                assertThat(got.get(i).truncated()).isEqualTo(want.get(i).truncated());
            }
            assertThat(got.get(2).truncated()).isTrue();
        }
    }

    @Test
    void shouldRefuseAReleaseWhoseHeadDoesNotMatchItsChecksum() {
        // Given
        ModelRelease release = Releases.of(dir, 2).setHeadSha256("0".repeat(64)).build();

        // When / Then
        assertThatThrownBy(() -> loader.load(release)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head_onnx has sha256");
    }

    @Test
    void shouldRefuseAReleaseTrainedOnADifferentEncoder() {
        // Given
        ModelRelease release = Releases.of(dir, 2).build();
        release.getEncoderIdentity().setOnnxSha256("f".repeat(64));

        // When / Then
        assertThatThrownBy(() -> loader.load(release)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("but the head was trained on " + "f".repeat(64));
    }

    @Test
    void shouldRefuseAReleaseWhoseHeadWidthDoesNotFitItsFeatureLayout() {
        // Given a separate-layout head (3 x hidden inputs) declared as joint (hidden inputs)
        ModelRelease release = Releases.of(dir, 2).build();
        release.getEncoderIdentity().setFeatureSpec("joint/mean+l2/384");

        // When / Then
        assertThatThrownBy(() -> loader.load(release)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head takes 1152 features").hasMessageContaining("gives 384");
    }

    @Test
    void shouldRefuseAReleaseThatIsNotPromotedOrWhoseHeadIsNotAGraph() {
        // Given
        ModelRelease rejected = Releases.of(dir, 2).setStatus(ReleaseStatus.REJECTED).build();
        byte[] junk = {1, 2, 3};
        ModelRelease garbled = Releases.of(dir, 3).setHeadOnnx(ByteBuffer.wrap(junk))
                .setHeadSha256(EncoderSource.sha256(junk)).build();

        // When / Then
        assertThatThrownBy(() -> loader.load(rejected)).hasMessageContaining("not PROMOTED");
        assertThatThrownBy(() -> loader.load(garbled)).hasMessageContaining("not a head graph");
    }

    @Test
    void shouldShareOneEncoderSessionBetweenReleasesOfTheSameEncoderAndCloseItWithTheLast() {
        // Given
        ScoringModel first = loader.load(Releases.of(dir, 1).build());

        // When
        ScoringModel second = loader.load(Releases.of(dir, 2).build());

        // Then
        assertThat(encoders.openEncoders()).isEqualTo(1);
        first.close();
        assertThat(encoders.openEncoders()).as("the second release still uses it").isEqualTo(1);
        assertThat(second.score(ITEMS)).hasSize(ITEMS.size());
        second.close();
        assertThat(encoders.openEncoders()).isZero();
    }

    @Test
    void shouldServeAReleaseWhoseTrainedEncoderTravelsOnTheArtifactsTopic() {
        // Given: the directory's encoder shipped as a trained one, under a name no scorer has built in
        EncoderSource base = EncoderSource.resolve(EncoderSource.DEFAULT);
        List<ArtifactChunk> chunks = Artifacts.split(base.onnxBytes(), Artifacts.ONNX, 1 << 20);
        ModelRelease.Builder builder = Releases.of(dir, 4);
        ModelRelease release = builder.setEncoderIdentity(EncoderIdentity.newBuilder(builder.getEncoderIdentity())
                .setName("reward-model-encoder-v4").setTokenizerRef("builtin:" + EncoderSource.DEFAULT)
                .setOnnxArtifact(Artifacts.ref(chunks)).build()).build();
        ReleaseLoader reading = new ReleaseLoader(new ModelLoader(encoders, 1, Device.CPU),
                MockArtifactTopic.reader(chunks));

        // When
        try (ScoringModel served = reading.load(release); RewardModel reference = RewardModel.load(dir, 1)) {

            // Then
            List<RewardModel.Score> expected = reference.score(ITEMS);
            List<RewardModel.Score> actual = served.score(ITEMS);
            for (int i = 0; i < ITEMS.size(); i++) {
                assertThat(actual.get(i).reward()).isCloseTo(expected.get(i).reward(), offset(1e-5));
            }
        }
    }

    @Test
    void shouldRefuseATrainedEncoderWhenNoArtifactReaderIsGiven() {
        // Given
        ModelRelease.Builder builder = Releases.of(dir, 5);
        ModelRelease release = builder.setEncoderIdentity(EncoderIdentity.newBuilder(builder.getEncoderIdentity())
                .setName("reward-model-encoder-v5").setOnnxArtifact(Artifacts.ref(Artifacts.split(new byte[10],
                        Artifacts.ONNX, 1024))).build()).build();

        // When / Then
        assertThatThrownBy(() -> loader.load(release)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("artifacts topic");
    }
}
