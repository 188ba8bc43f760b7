package io.rewardstream.trainer.retrain;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.model.FeatureExtractor;

/** The encoder the trainer extracts features with, how releases name it, and the head's training options. */
public record RetrainSetup(FeatureExtractor extractor, TrainingOptions options) {

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
