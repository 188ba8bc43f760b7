package io.rewardstream.trainer.retrain;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.signing.ReleaseSigner;
import java.util.function.Function;

/**
 * What the trainer's retrains need: the frozen encoder the store's features come from (and how releases name it), the
 * head's training options, the slow path's fine-tune job (null when the encoder is not trained), how the release
 * in service is opened when the store starts, and the key releases are signed with (null: unsigned).
 */
public record RetrainSetup(FeatureExtractor extractor, TrainingOptions options, FineTuneJob fineTune,
                           Function<ModelRelease, LiveRelease> liveLoader, ReleaseSigner signer) {

    /** Releases left unsigned. */
    public RetrainSetup(FeatureExtractor extractor, TrainingOptions options, FineTuneJob fineTune,
                        Function<ModelRelease, LiveRelease> liveLoader) {
        this(extractor, options, fineTune, liveLoader, null);
    }

    /** Head-only retrains on the frozen encoder; releases with a trained encoder cannot be reopened. */
    public RetrainSetup(FeatureExtractor extractor, TrainingOptions options) {
        this(extractor, options, null, LiveRelease::of);
    }

    public EncoderIdentity identity() {
        var source = extractor.encoder().source();
        return EncoderIdentity.newBuilder()
                .setName(source.name())
                .setOnnxSha256(source.sha256())
                .setMaxLength(extractor.maxLength())
                .setFeatureSpec(extractor.layout().manifestName())
                .setTokenizerRef(source.builtin() ? "builtin:" + source.name() : null)
                .build();
    }
}
