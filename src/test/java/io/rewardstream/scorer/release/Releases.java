package io.rewardstream.scorer.release;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.EvaluationSummary;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.avro.RewardNormalization;
import io.rewardstream.avro.TrainingSummary;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** ModelReleases made from a model directory, as the trainer would publish them. */
public final class Releases {

    private Releases() {
    }

    public static ModelRelease.Builder of(Path dir, long version) {
        ModelMetadata m = ModelDirectory.readMetadata(dir);
        byte[] head;
        try {
            head = Files.readAllBytes(dir.resolve(m.head().file()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return ModelRelease.newBuilder()
                .setModelName(m.name())
                .setVersion(version)
                .setStatus(ReleaseStatus.PROMOTED)
                .setCreatedAt(now)
                .setEncoderIdentity(EncoderIdentity.newBuilder().setName(m.encoder().name())
                        .setOnnxSha256(m.encoder().sha256()).setMaxLength(m.maxLength())
                        .setFeatureSpec(m.features().layout() + "/" + m.features().pooling() + "/"
                                + m.features().width()).build())
                .setHeadOnnx(ByteBuffer.wrap(head))
                .setHeadSha256(m.head().sha256())
                .setNormalization(new RewardNormalization(m.normalization().mean(), m.normalization().std()))
                .setCalibrationTemperature(m.temperature())
                .setTraining(new TrainingSummary(100L, 20L, now, now))
                .setEvaluation(EvaluationSummary.newBuilder().setAccuracy(0.9).setLogLoss(0.3).setEce(0.01).build());
    }
}
