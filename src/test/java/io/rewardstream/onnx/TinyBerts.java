package io.rewardstream.onnx;

import java.util.Random;
import java.util.function.Function;

/**
 * Tiny BERT encoders with seeded random weights, written by {@link BertOnnxGraph} as Hugging Face's ONNX export lays
 * BERT out. Small enough that a training step takes milliseconds.
 */
public final class TinyBerts {

    public static final int LAYERS = 2;
    public static final int HIDDEN = 8;
    public static final int HEADS = 2;
    public static final int INTERMEDIATE = 16;
    public static final int VOCAB = 24;
    public static final int POSITIONS = 16;
    public static final int TOKEN_TYPES = 2;

    public static final BertOnnxGraph.Sizes SIZES = new BertOnnxGraph.Sizes(LAYERS, HIDDEN, HEADS, INTERMEDIATE,
            VOCAB, POSITIONS, TOKEN_TYPES);

    private TinyBerts() {
    }

    /** A tiny BERT with seeded random weights whose output is the last layer's, "last_hidden_state". */
    public static byte[] encoder(long seed) {
        return BertOnnxGraph.build(SIZES, randomWeights(seed, false), true);
    }

    /** As {@link #encoder}, but without a token_type_ids input: every token takes row 0 of the type table. */
    public static byte[] withoutTokenTypeInput(long seed) {
        return BertOnnxGraph.build(SIZES, randomWeights(seed, false), false);
    }

    /**
     * As {@link #encoder}, but with an all-zero position table: until trained, the encoder cannot tell token order
     * apart, so mean-pooled vectors of the same tokens in any order are equal.
     */
    public static byte[] orderBlindEncoder(long seed) {
        return BertOnnxGraph.build(SIZES, randomWeights(seed, true), true);
    }

    /**
     * Seeded values for each parameter by its Hugging Face name: embeddings with standard deviation 0.5, weight
     * matrices 1/sqrt(fan-in), biases 0.1, LayerNorm scales 1 +- 0.1.
     */
    public static Function<String, float[]> randomWeights(long seed, boolean zeroPositions) {
        Random random = new Random(seed);
        return name -> {
            int count;
            double scale;
            double offset = 0;
            if (name.startsWith("embeddings.") && !name.contains("LayerNorm")) {
                int rows = name.contains("word") ? VOCAB : name.contains("position") ? POSITIONS : TOKEN_TYPES;
                count = rows * HIDDEN;
                scale = name.contains("position") && zeroPositions ? 0 : 0.5;
            } else if (name.endsWith(".bias")) {
                count = name.contains("intermediate.dense") ? INTERMEDIATE : HIDDEN;
                scale = 0.1;
            } else if (name.contains("LayerNorm")) {
                count = HIDDEN;
                scale = 0.1;
                offset = 1;
            } else {
                int in = name.contains("output.dense") && !name.contains("attention") ? INTERMEDIATE : HIDDEN;
                int out = name.contains("intermediate.dense") ? INTERMEDIATE : HIDDEN;
                count = in * out;
                scale = 1.0 / Math.sqrt(in);
            }
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = (float) (offset + scale * random.nextGaussian());
            }
            return values;
        };
    }
}
