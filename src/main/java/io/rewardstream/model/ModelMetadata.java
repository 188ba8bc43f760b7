package io.rewardstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.rewardstream.head.FeatureLayout;
import java.util.Map;

/**
 * metadata.json of a model directory: everything needed to rebuild the model and to judge it.
 *
 * @param format        layout version of the model directory
 * @param name          model name (the key of its releases)
 * @param version       model version, increasing
 * @param createdAt     ISO-8601 creation time
 * @param encoder       which encoder made the features
 * @param tokenizer     "tokenizer.json" (a file beside this one) or "builtin:NAME"
 * @param maxLength     maximum encoder sequence length, special tokens included
 * @param features      how features are formed
 * @param head          the head graph file and its shape
 * @param normalization mean and standard deviation of rewards on the training pairs, to standardise served rewards
 * @param temperature   calibration temperature fitted on validation pairs
 * @param metrics       validation metrics at training time
 * @param training      what the model was trained on and how
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelMetadata(int format, String name, long version, @JsonProperty("created_at") String createdAt,
                            Encoder encoder, String tokenizer, @JsonProperty("max_length") int maxLength,
                            FeatureSpec features, Head head, Normalization normalization, double temperature,
                            Map<String, Double> metrics, Map<String, Object> training) {

    public static final int FORMAT = 1;

    /** @param file encoder graph inside the model directory, or null for a built-in encoder */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Encoder(String name, boolean builtin, String sha256, @JsonProperty("hidden_size") int hiddenSize,
                          String file) {
    }

    public record FeatureSpec(String layout, String pooling, int width) {

        public FeatureLayout featureLayout() {
            for (FeatureLayout l : FeatureLayout.values()) {
                if (l.manifestName().equals(layout)) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown feature layout '" + layout + "'");
        }
    }

    public record Head(String file, String sha256, int hidden, String activation) {
    }

    public record Normalization(double mean, double std) {

        public double apply(double reward) {
            return std > 0 ? (reward - mean) / std : reward - mean;
        }
    }
}
