package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * A BERT encoder written from NDArray operations, computing what Hugging Face's BertModel (and its ONNX export)
 * computes: word + position + token-type embeddings and LayerNorm, then post-LN transformer layers.
 */
final class BertEncoder {

    /** What padding adds to attention scores: the lowest float, as Hugging Face's exports use. */
    static final float MASKED = -Float.MAX_VALUE;

    private final BertParameters params;
    private final List<BertLayer> layers = new ArrayList<>();

    BertEncoder(BertParameters params) {
        this.params = params;
        for (int n = 0; n < params.shape().layers(); n++) {
            layers.add(new BertLayer(params, n));
        }
    }

    /**
     * Runs the encoder on one padded batch.
     *
     * @param ids   int64 [batch, seq] token ids
     * @param types int64 [batch, seq] token type ids
     * @param mask  float32 [batch, seq], 1 for real tokens and 0 for padding
     * @return each layer's [batch, seq, hidden] output, first layer first
     */
    List<NDArray> layerStates(NDArray ids, NDArray types, NDArray mask) {
        return layers(embeddings(ids, types), maskAdd(mask), 0, layers.size(), 0f);
    }

    /** [batch, 1, 1, seq]: 0 for real tokens, {@link #MASKED} for padding, from a float32 [batch, seq] mask. */
    static NDArray maskAdd(NDArray mask) {
        return mask.neg().add(1f).mul(MASKED).expandDims(1).expandDims(1);
    }

    /**
     * Runs layers {@code from} (inclusive) to {@code to} (exclusive) on {@code x}, the input of layer {@code from}.
     *
     * @param dropout dropout rate inside the layers (0 when not training)
     * @return each of those layers' [batch, seq, hidden] output, in order
     */
    List<NDArray> layers(NDArray x, NDArray maskAdd, int from, int to, float dropout) {
        List<NDArray> states = new ArrayList<>(to - from);
        for (int n = from; n < to; n++) {
            x = layers.get(n).forward(x, maskAdd, dropout);
            states.add(x);
        }
        return states;
    }

    int layerCount() {
        return layers.size();
    }

    /** The embedding LayerNorm's [batch, seq, hidden] output: the input of layer 0. */
    NDArray embeddings(NDArray ids, NDArray types) {
        long seq = ids.getShape().get(1);
        NDArray positions = ids.getManager().arange(0, seq, 1, DataType.INT64);
        NDArray sum = lookup(ids, BertNames.WORD_EMBEDDINGS)
                .addi(lookup(types, BertNames.TOKEN_TYPE_EMBEDDINGS))
                .addi(lookup(positions, BertNames.POSITION_EMBEDDINGS));
        return LayerNorm.apply(sum, params.get(BertNames.weight(BertNames.EMBEDDING_NORM)),
                params.get(BertNames.bias(BertNames.EMBEDDING_NORM)));
    }

    private NDArray lookup(NDArray indices, String table) {
        return indices.getNDArrayInternal().embedding(indices, params.get(table), SparseFormat.DENSE)
                .singletonOrThrow();
    }
}
