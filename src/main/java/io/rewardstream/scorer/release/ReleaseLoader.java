package io.rewardstream.scorer.release;

import io.rewardstream.artifacts.ArtifactException;
import io.rewardstream.artifacts.ArtifactSource;
import io.rewardstream.artifacts.ReleaseEncoders;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.model.ModelFormatException;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.model.ModelMetadata;
import io.rewardstream.model.RewardModel;
import io.rewardstream.scorer.serving.ScoringModel;
import io.rewardstream.serde.AvroBytes;
import io.rewardstream.signing.ReleaseVerifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a servable model from a {@link ModelRelease}: the head from its ONNX bytes and the encoder it names (built
 * in, or a trained one read from the artifacts topic), verified and opened by the {@link ModelLoader} every model
 * goes through. Refuses (with a {@link ModelFormatException}, an {@link IllegalArgumentException} that says why) a
 * release that is not PROMOTED, whose head does not match its sha256 or is not a head graph, whose encoder is
 * neither built in nor readable from the artifacts topic or differs from the encoder's sha256, or whose head width
 * does not fit the encoder and feature layout. With a {@link ReleaseVerifier}, a release that is unsigned or whose
 * signature does not verify is refused before any of it is used; so is one with a head weight, a normalisation or a
 * temperature that is not a finite number (a positive one for the standard deviation and the temperature).
 */
public final class ReleaseLoader {

    private final ModelLoader models;
    private final ArtifactSource artifacts;
    private final ReleaseVerifier verifier;

    /** @param artifacts reads trained encoders from the artifacts topic; null to accept built-in encoders only */
    public ReleaseLoader(ModelLoader models, ArtifactSource artifacts) {
        this(models, artifacts, null);
    }

    /** @param verifier accept only releases signed with its key; null accepts unsigned releases */
    public ReleaseLoader(ModelLoader models, ArtifactSource artifacts, ReleaseVerifier verifier) {
        this.models = models;
        this.artifacts = artifacts;
        this.verifier = verifier;
    }

    public ScoringModel load(ModelRelease release) {
        String what = "release " + release.getModelName() + " version " + release.getVersion();
        if (verifier != null) {
            verifier.problem(release).ifPresent(problem -> {
                throw new ModelFormatException(what + " is refused: " + problem);
            });
        }
        if (release.getStatus() != ReleaseStatus.PROMOTED) {
            throw new ModelFormatException(what + " has status " + release.getStatus() + ", not PROMOTED");
        }
        checkNumbers(what, release);
        EncoderIdentity identity = release.getEncoderIdentity();
        FeatureLayout layout = ReleaseFeatureSpec.layoutOf(identity.getFeatureSpec());
        HeadWeights head = ModelLoader.verifiedHead(what, AvroBytes.copy(release.getHeadOnnx()),
                release.getHeadSha256(), "head_onnx");
        EncoderSource source = ModelLoader.verifiedEncoder(what, encoder(what, identity), identity.getOnnxSha256());
        return ScoringModel.of(models.open(new ModelLoader.Parts(what, metadata(release, source, layout, head), head,
                source)));
    }

    /** The normalisation and temperature a scorer applies to every reward must be usable numbers. */
    private static void checkNumbers(String what, ModelRelease release) {
        var norm = release.getNormalization();
        double temperature = release.getCalibrationTemperature();
        if (!Double.isFinite(norm.getMean()) || !Double.isFinite(norm.getStd()) || norm.getStd() <= 0) {
            throw new ModelFormatException(what + ": normalization mean " + norm.getMean() + " and std "
                    + norm.getStd() + " must be finite with a positive std");
        }
        if (!Double.isFinite(temperature) || temperature <= 0) {
            throw new ModelFormatException(what + ": calibration_temperature " + temperature
                    + " must be finite and positive");
        }
    }

    private EncoderSource encoder(String what, EncoderIdentity identity) {
        try {
            return ReleaseEncoders.resolve(identity, artifacts);
        } catch (ArtifactException e) {
            throw new ModelFormatException(what + ": " + e.getMessage());
        }
    }

    /** The release as model metadata; the feature width is the head's, which {@code RewardModel} checks. */
    private static ModelMetadata metadata(ModelRelease release, EncoderSource source, FeatureLayout layout,
                                          HeadWeights head) {
        var norm = release.getNormalization();
        int width = head.inputWidth();
        int hidden = layout == FeatureLayout.JOINT ? width : width / 3;
        return new ModelMetadata(ModelMetadata.FORMAT, release.getModelName(), release.getVersion(),
                release.getCreatedAt().toString(),
                new ModelMetadata.Encoder(source.name(), source.builtin(), source.sha256(), hidden, null),
                release.getEncoderIdentity().getTokenizerRef() != null ? release.getEncoderIdentity().getTokenizerRef()
                        : "builtin:" + source.name(), release.getEncoderIdentity().getMaxLength(),
                new ModelMetadata.FeatureSpec(layout.manifestName(), ReleaseFeatureSpec.POOLING, width),
                new ModelMetadata.Head(null, release.getHeadSha256(), head.layers().size() > 1
                        ? head.layers().get(0).out() : 0, head.hidden() == null ? null : head.hidden().name()),
                new ModelMetadata.Normalization(norm.getMean(), norm.getStd()), release.getCalibrationTemperature(),
                evaluation(release), training(release));
    }

    /** What the release was trained on, for the model card. */
    private static Map<String, Object> training(ModelRelease release) {
        var t = release.getTraining();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("train_pairs", t.getTrainPairs());
        training.put("heldout_pairs", t.getHeldoutPairs());
        training.put("window_start", t.getWindowStart().toString());
        training.put("window_end", t.getWindowEnd().toString());
        return training;
    }

    private static Map<String, Double> evaluation(ModelRelease release) {
        var e = release.getEvaluation();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", e.getAccuracy());
        metrics.put("log_loss", e.getLogLoss());
        metrics.put("ece", e.getEce());
        if (e.getLiveAccuracy() != null) {
            metrics.put("live_accuracy", e.getLiveAccuracy());
        }
        if (e.getLengthCorrelation() != null) {
            metrics.put("length_correlation", e.getLengthCorrelation());
        }
        return metrics;
    }
}
