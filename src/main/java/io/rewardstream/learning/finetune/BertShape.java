package io.rewardstream.learning.finetune;

/**
 * The sizes of a BERT encoder.
 *
 * @param layers       transformer layers
 * @param hidden       hidden size
 * @param heads        attention heads; {@code hidden} is a multiple of it
 * @param intermediate width of the feed-forward block
 * @param vocab        rows of the word embedding table
 * @param positions    rows of the position embedding table: the longest input
 * @param tokenTypes   rows of the token-type embedding table
 */
public record BertShape(int layers, int hidden, int heads, int intermediate, int vocab, int positions,
                        int tokenTypes) {

    /** @throws IllegalArgumentException when a size is not positive or the hidden size does not split into heads */
    public BertShape {
        requirePositive("layers", layers);
        requirePositive("hidden", hidden);
        requirePositive("heads", heads);
        requirePositive("intermediate", intermediate);
        requirePositive("vocab", vocab);
        requirePositive("positions", positions);
        requirePositive("tokenTypes", tokenTypes);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " does not split into " + heads + " heads");
        }
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    public int headSize() {
        return hidden / heads;
    }

    /** The dims a parameter of this encoder must have (weight matrices [in, out]). */
    long[] dimsOf(String name) {
        return switch (name) {
            case BertNames.WORD_EMBEDDINGS -> new long[] {vocab, hidden};
            case BertNames.POSITION_EMBEDDINGS -> new long[] {positions, hidden};
            case BertNames.TOKEN_TYPE_EMBEDDINGS -> new long[] {tokenTypes, hidden};
            default -> layerDims(name);
        };
    }

    private long[] layerDims(String name) {
        if (name.endsWith("intermediate.dense.weight")) {
            return new long[] {hidden, intermediate};
        }
        if (name.endsWith("intermediate.dense.bias")) {
            return new long[] {intermediate};
        }
        if (name.endsWith("output.dense.weight") && !name.contains("attention")) {
            return new long[] {intermediate, hidden};
        }
        return name.endsWith(".weight") && !name.contains("LayerNorm") ? new long[] {hidden, hidden}
                : new long[] {hidden};
    }

    /** The number of trainable parameters (all weights, biases, norms and embedding tables). */
    public long parameterCount() {
        long count = 0;
        for (String name : BertNames.all(layers)) {
            long size = 1;
            for (long d : dimsOf(name)) {
                size *= d;
            }
            count += size;
        }
        return count;
    }
}
