package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;

/**
 * One post-LN transformer layer of BERT: multi-head self-attention with an additive mask, residual and LayerNorm,
 * then a GELU (exact, erf) feed-forward block, residual and LayerNorm. The query is scaled by 1/sqrt(head size)
 * before its product with the keys rather than the scores after it: the same function, one large tensor fewer.
 */
final class BertLayer {

    private final BertParameters params;
    private final int layer;
    private final int heads;
    private final int headSize;

    BertLayer(BertParameters params, int layer) {
        this.params = params;
        this.layer = layer;
        this.heads = params.shape().heads();
        this.headSize = params.shape().headSize();
    }

    /**
     * @param x       [batch, seq, hidden] input states
     * @param maskAdd [batch, 1, 1, seq]: 0 for real tokens, a large negative number for padding
     * @param dropout rate of dropout on the attention probabilities and on both residual branches, as BERT
     *                trains (0: none, as served)
     * @return [batch, seq, hidden] output states
     */
    NDArray forward(NDArray x, NDArray maskAdd, float dropout) {
        NDArray attended = LayerNorm.apply(drop(attention(x, maskAdd, dropout), dropout).addi(x),
                param("attention.output.LayerNorm.weight"), param("attention.output.LayerNorm.bias"));
        NDArray inner = dense(attended, "intermediate.dense").getNDArrayInternal().gelu();
        return LayerNorm.apply(drop(dense(inner, "output.dense"), dropout).addi(attended),
                param("output.LayerNorm.weight"), param("output.LayerNorm.bias"));
    }

    private static NDArray drop(NDArray x, float rate) {
        return rate > 0f ? x.getNDArrayInternal().dropout(x, rate, true).singletonOrThrow() : x;
    }

    private NDArray attention(NDArray x, NDArray maskAdd, float dropout) {
        long batch = x.getShape().get(0);
        long seq = x.getShape().get(1);
        NDArray q = splitHeads(dense(x, "attention.self.query").divi((float) Math.sqrt(headSize)), batch, seq)
                .transpose(0, 2, 1, 3);
        NDArray kT = splitHeads(dense(x, "attention.self.key"), batch, seq).transpose(0, 2, 3, 1);
        NDArray v = splitHeads(dense(x, "attention.self.value"), batch, seq).transpose(0, 2, 1, 3);
        NDArray probs = drop(q.matMul(kT).addi(maskAdd).softmax(-1), dropout);
        NDArray context = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, seq, (long) heads * headSize);
        return dense(context, "attention.output.dense");
    }

    private NDArray splitHeads(NDArray x, long batch, long seq) {
        return x.reshape(batch, seq, heads, headSize);
    }

    /** x W + b in one fused call; W is stored [in, out], so it is passed as its transposed view. */
    private NDArray dense(NDArray x, String module) {
        return x.getNDArrayInternal().linear(x, param(module + ".weight").transpose(), param(module + ".bias"))
                .singletonOrThrow();
    }

    private NDArray param(String suffix) {
        return params.get(BertNames.layer(layer, suffix));
    }
}
