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
import io.rewardstream.avro.RewardNormalization;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.model.ModelFormatException;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.runtime.Device;
import io.rewardstream.serde.AvroBytes;
import io.rewardstream.serde.TrustedAvroClasses;
import io.rewardstream.signing.ReleaseSigner;
import io.rewardstream.signing.ReleaseVerifier;
import io.rewardstream.signing.SigningKeys;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
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

    private static final KeyPair TRUSTED = SigningKeys.generate();
    private static final KeyPair OTHER = SigningKeys.generate();

    static {
        TrustedAvroClasses.install();
    }

    private ReleaseLoader verifying() {
        return new ReleaseLoader(new ModelLoader(encoders, 1, Device.CPU), null,
                new ReleaseVerifier(TRUSTED.getPublic(), "the trusted test key"));
    }

    @Test
    void shouldServeAReleaseSignedWithTheTrustedKey() {
        // Given
        ModelRelease signed = new ReleaseSigner(TRUSTED.getPrivate()).sign(Releases.of(dir, 6).build());

        // When
        try (ScoringModel served = verifying().load(signed)) {

            // Then
            assertThat(served.version()).isEqualTo(6L);
            assertThat(signed.getSignature().remaining()).isEqualTo(64);
        }
    }

    @Test
    void shouldRefuseAnUnsignedReleaseWhenAKeyIsTrusted() {
        ModelRelease unsigned = Releases.of(dir, 6).build();

        assertThatThrownBy(() -> verifying().load(unsigned)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("release " + unsigned.getModelName() + " version 6 is refused")
                .hasMessageContaining("it is not signed").hasMessageContaining("the trusted test key");
        assertThat(encoders.openEncoders()).as("nothing was opened for it").isZero();
    }

    @Test
    void shouldRefuseAReleaseSignedWithAnotherKey() {
        ModelRelease forged = new ReleaseSigner(OTHER.getPrivate()).sign(Releases.of(dir, 6).build());

        assertThatThrownBy(() -> verifying().load(forged)).hasMessageContaining("does not verify");
    }

    @Test
    void shouldRefuseASignedReleaseChangedAfterSigning() {
        // Given releases signed by the trusted key, then changed on the way: a head swapped (with its checksum), a
        // normalisation changed, a metadata entry added
        ModelRelease signed = new ReleaseSigner(TRUSTED.getPrivate()).sign(Releases.of(dir, 6).build());
        byte[] otherHead = HeadOnnx.write(new HeadWeights(List.of(new DenseLayer(1152, 1, new float[1152],
                new float[] {1f})), Activation.NONE), 1152);
        ModelRelease swappedHead = ModelRelease.newBuilder(signed).setHeadOnnx(ByteBuffer.wrap(otherHead))
                .setHeadSha256(EncoderSource.sha256(otherHead)).build();
        ModelRelease renormalised = ModelRelease.newBuilder(signed)
                .setNormalization(new RewardNormalization(0.0, 100.0)).build();
        ModelRelease annotated = ModelRelease.newBuilder(signed).setMetadata(Map.of("note", "x")).build();

        // Then
        for (ModelRelease changed : List.of(swappedHead, renormalised, annotated)) {
            assertThatThrownBy(() -> verifying().load(changed)).hasMessageContaining("does not verify");
        }
    }

    @Test
    void shouldRefuseTruncatedHeadBytesWhetherOrNotTheirChecksumWasForgedToo() {
        // Given head bytes cut short in transit, and cut short with a checksum that matches the cut
        ModelRelease whole = Releases.of(dir, 7).build();
        byte[] bytes = AvroBytes.copy(whole.getHeadOnnx());
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        ModelRelease truncated = ModelRelease.newBuilder(whole).setHeadOnnx(ByteBuffer.wrap(cut)).build();
        ModelRelease truncatedWithSum = ModelRelease.newBuilder(truncated).setHeadSha256(EncoderSource.sha256(cut))
                .build();

        // Then
        assertThatThrownBy(() -> loader.load(truncated)).hasMessageContaining("head_onnx has sha256");
        assertThatThrownBy(() -> loader.load(truncatedWithSum)).hasMessageContaining("not a head graph");
    }

    @Test
    void shouldRefuseAHeadWithANaNOrInfiniteWeight() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            // Given a well-formed head graph with one weight that is not a number
            float[] weights = new float[1152];
            weights[17] = bad;
            byte[] head = HeadOnnx.write(new HeadWeights(List.of(new DenseLayer(1152, 1, weights, new float[1])),
                    Activation.NONE), 1152);
            ModelRelease release = Releases.of(dir, 8).setHeadOnnx(ByteBuffer.wrap(head))
                    .setHeadSha256(EncoderSource.sha256(head)).build();

            // Then
            assertThatThrownBy(() -> loader.load(release)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("non-finite weight (" + bad + " at index 17) in layer 0");
        }
    }

    @Test
    void shouldRefuseANormalisationOrTemperatureThatIsNotAPositiveFiniteNumber() {
        ModelRelease nanMean = Releases.of(dir, 9).setNormalization(new RewardNormalization(Double.NaN, 1.0)).build();
        ModelRelease zeroStd = Releases.of(dir, 9).setNormalization(new RewardNormalization(0.0, 0.0)).build();
        ModelRelease infiniteT = Releases.of(dir, 9).setCalibrationTemperature(Double.POSITIVE_INFINITY).build();

        assertThatThrownBy(() -> loader.load(nanMean)).hasMessageContaining("must be finite with a positive std");
        assertThatThrownBy(() -> loader.load(zeroStd)).hasMessageContaining("must be finite with a positive std");
        assertThatThrownBy(() -> loader.load(infiniteT)).hasMessageContaining("calibration_temperature Infinity");
    }
}
