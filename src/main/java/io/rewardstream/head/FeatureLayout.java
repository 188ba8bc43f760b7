package io.rewardstream.head;

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

    /** The truncation rule of {@code TokenLayout} for this layout in words, as written into export manifests. */
    public String truncationRule(int maxLength) {
        if (this == JOINT) {
            return "one sequence [CLS] prompt [SEP] response [SEP] of at most " + maxLength + " tokens; when too long,"
                    + " the prompt is cut first keeping its end, then the response keeping its start";
        }
        return "prompt and response each [CLS] text [SEP] of at most " + maxLength + " tokens; a long prompt keeps"
                + " its end, a long response keeps its start";
    }
}
