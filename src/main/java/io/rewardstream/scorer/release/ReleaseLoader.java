package io.rewardstream.scorer.release;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.ModelMetadata;
import io.rewardstream.model.RewardModel;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.serving.ScoringModel;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a servable model from a {@link ModelRelease}: the head from its ONNX bytes and the built-in encoder it
 * names. Refuses (with an {@link IllegalArgumentException} that says why) a release that is not PROMOTED, whose
 * head does not match its sha256 or is not a head graph, whose encoder is not built in or differs from the
 * encoder's sha256, or whose head width does not fit the encoder and feature layout.
 */
public final class ReleaseLoader {

    private final int threads;
    private final Device device;

    public ReleaseLoader(int threads, Device device) {
        this.threads = threads;
        this.device = device;
    }

    public ScoringModel load(ModelRelease release) {
        String what = "release " + release.getModelName() + " version " + release.getVersion();
        if (release.getStatus() != ReleaseStatus.PROMOTED) {
            throw new IllegalArgumentException(what + " has status " + release.getStatus() + ", not PROMOTED");
        }
        byte[] headBytes = bytes(release.getHeadOnnx());
        String headSha = EncoderSource.sha256(headBytes);
        if (!headSha.equals(release.getHeadSha256())) {
            throw new IllegalArgumentException(what + ": head_onnx has sha256 " + headSha + " but the release says "
                    + release.getHeadSha256());
        }
        HeadWeights head = readHead(what, headBytes);
        EncoderIdentity identity = release.getEncoderIdentity();
        FeatureLayout layout = ReleaseFeatureSpec.layoutOf(identity.getFeatureSpec());
        EncoderSource source = builtinEncoder(what, identity);
        TextEncoder encoder = TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE, device);
        try {
            FeatureExtractor extractor = new FeatureExtractor(encoder, layout, identity.getMaxLength());
            if (head.inputWidth() != extractor.width()) {
                throw new IllegalArgumentException(what + ": head takes " + head.inputWidth() + " features but "
                        + source.name() + " with layout " + layout.manifestName() + " gives " + extractor.width());
            }
            return ScoringModel.of(new RewardModel(metadata(release, source, encoder, layout, extractor, headSha,
                    head), extractor, new RewardHead(head)));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static HeadWeights readHead(String what, byte[] bytes) {
        try {
            return HeadOnnx.read(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": head_onnx is not a head graph: " + e.getMessage(), e);
        }
    }

    private static EncoderSource builtinEncoder(String what, EncoderIdentity identity) {
        if (!EncoderSource.BUILTIN.contains(identity.getName())) {
            throw new IllegalArgumentException(what + ": encoder '" + identity.getName() + "' is not built in "
                    + EncoderSource.BUILTIN);
        }
        EncoderSource source = EncoderSource.resolve(identity.getName());
        if (!source.sha256().equals(identity.getOnnxSha256())) {
            throw new IllegalArgumentException(what + ": encoder " + identity.getName() + " here has sha256 "
                    + source.sha256() + " but the head was trained on " + identity.getOnnxSha256());
        }
        return source;
    }

    private static ModelMetadata metadata(ModelRelease release, EncoderSource source, TextEncoder encoder,
                                          FeatureLayout layout, FeatureExtractor extractor, String headSha,
                                          HeadWeights head) {
        var norm = release.getNormalization();
        return new ModelMetadata(ModelMetadata.FORMAT, release.getModelName(), release.getVersion(),
                release.getCreatedAt().toString(),
                new ModelMetadata.Encoder(source.name(), true, source.sha256(), encoder.hiddenSize(), null),
                "builtin:" + source.name(), extractor.maxLength(),
                new ModelMetadata.FeatureSpec(layout.manifestName(), ReleaseFeatureSpec.POOLING, extractor.width()),
                new ModelMetadata.Head(null, headSha, head.layers().size() > 1 ? head.layers().get(0).out() : 0,
                        head.hidden() == null ? null : head.hidden().name()),
                new ModelMetadata.Normalization(norm.getMean(), norm.getStd()), release.getCalibrationTemperature(),
                evaluation(release), null);
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
        return metrics;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
