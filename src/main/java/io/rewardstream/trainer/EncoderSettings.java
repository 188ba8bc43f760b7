package io.rewardstream.trainer;

import io.rewardstream.config.ConfigException;

/**
 * Which encoder extracts features and how.
 *
 * @param name      a built-in encoder name or a directory with model.onnx and tokenizer.json (encoder.name)
 * @param maxLength tokens per text (encoder.max-length)
 * @param threads   ONNX Runtime intra-op threads (encoder.threads)
 */
public record EncoderSettings(String name, int maxLength, int threads) {

    public EncoderSettings {
        if (name == null || name.isBlank()) {
            throw new ConfigException("encoder.name", "must not be empty");
        }
        if (maxLength < 8 || maxLength > 8192) {
            throw new ConfigException("encoder.max-length", "must be in [8, 8192], got " + maxLength);
        }
        if (threads < 1) {
            throw new ConfigException("encoder.threads", "must be at least 1, got " + threads);
        }
    }
}
