package io.rewardstream.trainer;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.training.TrainingOptions;

/** The encoder the trainer extracts features with, how releases name it, and the head's training options. */
public record TrainerModel(FeatureExtractor extractor, TrainingOptions options) {

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
