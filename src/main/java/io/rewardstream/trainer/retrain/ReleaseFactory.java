package io.rewardstream.trainer.retrain;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.EvaluationSummary;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.RejectionStage;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.avro.RewardNormalization;
import io.rewardstream.avro.TrainingSummary;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.onnx.HeadOnnx;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/** Turns a gated {@link Candidate} into the records the trainer publishes. */
public final class ReleaseFactory {

    private final String modelName;
    private final EncoderIdentity encoder;

    public ReleaseFactory(String modelName, EncoderIdentity encoder) {
        this.modelName = modelName;
        this.encoder = encoder;
    }

    public String modelName() {
        return modelName;
    }

    public ModelRelease promoted(Candidate candidate, long version, String reason, long now) {
        byte[] onnx = HeadOnnx.write(candidate.head(), candidate.featureWidth());
        var metrics = candidate.heldOut();
        var snapshot = candidate.snapshot();
        return ModelRelease.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setStatus(ReleaseStatus.PROMOTED)
                .setStatusReason(reason)
                .setCreatedAt(Instant.ofEpochMilli(now))
                .setEncoderIdentity(EncoderIdentity.newBuilder(encoder).build())
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
                        "train_seconds", String.format("%.3f", candidate.trainSeconds())))
                .build();
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
