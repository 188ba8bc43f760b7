package io.rewardstream.trainer.retrain;

import io.rewardstream.artifacts.Artifacts;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.EvaluationSummary;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.RejectionStage;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.avro.RewardNormalization;
import io.rewardstream.avro.TrainingSummary;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.signing.ReleaseSigner;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns a gated {@link Candidate} into the records the trainer publishes, its releases signed when a key is set. */
public final class ReleaseFactory {

    private final String modelName;
    private final EncoderIdentity encoder;
    private final ReleaseSigner signer;

    /** Unsigned releases. */
    public ReleaseFactory(String modelName, EncoderIdentity encoder) {
        this(modelName, encoder, null);
    }

    /** @param signer signs each promoted release (releases.signing-key); null leaves them unsigned */
    public ReleaseFactory(String modelName, EncoderIdentity encoder, ReleaseSigner signer) {
        this.modelName = modelName;
        this.encoder = encoder;
        this.signer = signer;
    }

    public String modelName() {
        return modelName;
    }

    /**
     * A promoted release and the artifact chunks it names (empty for a head on the frozen encoder), to be published
     * in one transaction, chunks first.
     */
    public record Publication(ModelRelease release, List<ArtifactChunk> artifacts) {
    }

    /** The release of a promoted candidate: its head, and for a fine-tuned one the encoder it travels with. */
    public Publication promoted(Candidate candidate, long version, String reason, long now) {
        if (candidate.trained() == null) {
            return new Publication(release(candidate, encoder, version, reason, now), List.of());
        }
        EncoderSource trained = candidate.trained().source();
        List<ArtifactChunk> chunks = new ArrayList<>(Artifacts.split(trained.onnxBytes(), Artifacts.ONNX,
                Artifacts.CHUNK_BYTES));
        EncoderIdentity.Builder identity = EncoderIdentity.newBuilder(encoder)
                .setName(modelName + "-encoder-" + trained.sha256().substring(0, 12))
                .setOnnxSha256(trained.sha256())
                .setFeatureSpec(FeatureLayout.JOINT.manifestName())
                .setOnnxArtifact(Artifacts.ref(chunks));
        if (encoder.getTokenizerRef() == null) {
            List<ArtifactChunk> tokenizer = Artifacts.split(trained.tokenizerJson(), Artifacts.JSON,
                    Artifacts.CHUNK_BYTES);
            identity.setTokenizerArtifact(Artifacts.ref(tokenizer));
            chunks.addAll(tokenizer);
        }
        return new Publication(release(candidate, identity.build(), version, reason, now), List.copyOf(chunks));
    }

    private ModelRelease release(Candidate candidate, EncoderIdentity identity, long version, String reason,
                                 long now) {
        byte[] onnx = HeadOnnx.write(candidate.head(), candidate.featureWidth());
        var metrics = candidate.heldOut();
        var snapshot = candidate.snapshot();
        ModelRelease release = ModelRelease.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setStatus(ReleaseStatus.PROMOTED)
                .setStatusReason(reason)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setEncoderIdentity(EncoderIdentity.newBuilder(identity).build())
                .setHeadOnnx(ByteBuffer.wrap(onnx))
                .setHeadSha256(EncoderSource.sha256(onnx))
                .setNormalization(new RewardNormalization(candidate.rewardMean(),
                        candidate.rewardStd() > 0 ? candidate.rewardStd() : 1.0))
                .setCalibrationTemperature(candidate.temperature())
                .setTraining(new TrainingSummary((long) snapshot.train().size(), (long) snapshot.heldOut().size(),
                        Instant.ofEpochMilli(snapshot.windowStart()), Instant.ofEpochMilli(snapshot.windowEnd())))
                .setEvaluation(EvaluationSummary.newBuilder()
                        .setAccuracy(metrics.accuracy())
                        .setLogLoss(metrics.logLoss())
                        .setEce(finite(metrics.ece()))
                        .setLengthCorrelation(nullable(metrics.lengthCorrelation()))
                        .setStrengthCorrelation(nullable(metrics.marginCorrelation()))
                        .setLiveAccuracy(candidate.liveAccuracy())
                        .build())
                .setMetadata(Map.of("conflict_rate", Double.toString(snapshot.conflictRate()),
                        "train_seconds", String.format(Locale.ROOT, "%.3f", candidate.trainSeconds()),
                        "encoder_training", candidate.trained() == null ? "frozen" : "fine-tuned"))
                .build();
        return signer == null ? release : signer.sign(release);
    }

    public ReleaseRejected rejected(Candidate candidate, long version, String reason, long now) {
        return ReleaseRejected.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setStage(RejectionStage.TRAINER_EVALUATION)
                .setReason(reason)
                .setCandidateAccuracy(candidate == null ? null : nullable(candidate.heldOut().accuracy()))
                .setLiveAccuracy(candidate == null ? null : candidate.liveAccuracy())
                .setRejectedAt(Instant.ofEpochMilli(now))
                .build();
    }

    private static Double nullable(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0.0;
    }
}
