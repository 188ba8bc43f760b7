package io.rewardstream.model;

/**
 * How the encoder is run on a (prompt, response) pair and how its pooled output becomes the head's input.
 * Pooling is always the attention-masked mean of the encoder's hidden-state output (the last layer, or the mean of
 * all layers for the default encoder), then L2 normalisation.
 */
public enum FeatureLayout {
    /**
     * One sequence: [CLS] prompt [SEP] response [SEP], token_type_ids 0 then 1. Features: the pooled vector j
     * (width = hidden size).
     */
    JOINT("joint"),
    /**
     * Prompt and response encoded apart into pooled vectors p and y. Features: concat(y, p * y, |p - y|)
     * (width = 3 x hidden size).
     */
    SEPARATE("separate");

    private final String manifestName;

    FeatureLayout(String manifestName) {
        this.manifestName = manifestName;
    }

    /** The value of "encoding" in an export manifest. */
    public String manifestName() {
        return manifestName;
    }

    public int featureWidth(int hiddenSize) {
        return this == JOINT ? hiddenSize : 3 * hiddenSize;
    }
}
