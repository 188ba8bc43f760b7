package io.rewardstream.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's card for people: version, what it was trained on, how it did, its calibration and encoder, in words
 * and plain numbers (no nested maps), as the status page shows it.
 */
public final class ModelCard {

    private ModelCard() {
    }

    /** The card of {@code metadata}; {@code device} says where the model actually runs. */
    public static Map<String, Object> of(ModelMetadata metadata, String device) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", metadata.name() + " v" + metadata.version());
        card.put("created", metadata.createdAt());
        Map<String, Object> training = metadata.training() == null ? Map.of() : metadata.training();
        putIfPresent(card, "training pairs", training.get("train_pairs"));
        putIfPresent(card, "held-out pairs", training.get("heldout_pairs"));
        if (training.get("window_start") != null && training.get("window_end") != null) {
            card.put("training data from", training.get("window_start") + " to " + training.get("window_end"));
        }
        putIfPresent(card, "encoder training", training.get("encoder_training"));
        Map<String, Double> metrics = metadata.metrics() == null ? Map.of() : metadata.metrics();
        putIfPresent(card, "held-out accuracy", metrics.get("accuracy"));
        putIfPresent(card, "previous model on the same pairs", metrics.get("live_accuracy"));
        putIfPresent(card, "log loss", metrics.get("log_loss"));
        putIfPresent(card, "calibration error (ECE)", metrics.get("ece"));
        putIfPresent(card, "reward-length correlation", metrics.get("length_correlation"));
        card.put("calibration temperature", metadata.temperature());
        if (metadata.normalization() != null) {
            card.put("reward normalisation", String.format(java.util.Locale.ROOT, "mean %.4g, std %.4g",
                    metadata.normalization().mean(), metadata.normalization().std()));
        }
        if (metadata.encoder() != null) {
            card.put("encoder", metadata.encoder().name() + " (sha256 "
                    + shortHash(metadata.encoder().sha256()) + ")");
        }
        card.put("max tokens", metadata.maxLength());
        card.put("device", device);
        return card;
    }

    static String shortHash(String sha256) {
        return sha256 == null ? "unknown" : sha256.substring(0, Math.min(12, sha256.length()));
    }

    private static void putIfPresent(Map<String, Object> card, String key, Object value) {
        if (value != null) {
            card.put(key, value);
        }
    }
}
