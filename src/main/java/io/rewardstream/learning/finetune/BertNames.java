package io.rewardstream.learning.finetune;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameter names of a BERT encoder, as Hugging Face names them ({@code encoder.layer.N.attention.self.query.bias}
 * ...). Weight matrices keep these names but the layout of the ONNX export, [in, out].
 */
final class BertNames {

    static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";
    static final String POSITION_EMBEDDINGS = "embeddings.position_embeddings.weight";
    static final String TOKEN_TYPE_EMBEDDINGS = "embeddings.token_type_embeddings.weight";
    static final String EMBEDDING_NORM = "embeddings.LayerNorm";

    /** The six dense projections of a layer, each a [in, out] weight and a bias. */
    static final List<String> PROJECTIONS = List.of("attention.self.query", "attention.self.key",
            "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense");
    /** The two LayerNorms of a layer (post-LN: after attention, after the feed-forward block). */
    static final List<String> LAYER_NORMS = List.of("attention.output.LayerNorm", "output.LayerNorm");

    private BertNames() {
    }

    /** {@code encoder.layer.N.} + suffix. */
    static String layer(int n, String suffix) {
        return "encoder.layer." + n + "." + suffix;
    }

    static String weight(String module) {
        return module + ".weight";
    }

    static String bias(String module) {
        return module + ".bias";
    }

    /** Every parameter of an encoder with {@code layers} layers, embeddings first, then layer by layer. */
    static List<String> all(int layers) {
        List<String> names = new ArrayList<>(List.of(WORD_EMBEDDINGS, POSITION_EMBEDDINGS, TOKEN_TYPE_EMBEDDINGS,
                weight(EMBEDDING_NORM), bias(EMBEDDING_NORM)));
        for (int n = 0; n < layers; n++) {
            names.addAll(ofLayer(n));
        }
        return names;
    }

    /** The 16 parameters of layer {@code n}. */
    static List<String> ofLayer(int n) {
        List<String> names = new ArrayList<>();
        for (String projection : PROJECTIONS) {
            names.add(weight(layer(n, projection)));
            names.add(bias(layer(n, projection)));
        }
        for (String norm : LAYER_NORMS) {
            names.add(weight(layer(n, norm)));
            names.add(bias(layer(n, norm)));
        }
        return names;
    }

    /** True for the biases and LayerNorm parameters, which AdamW leaves out of weight decay. */
    static boolean isBiasOrNorm(String name) {
        return name.endsWith(".bias") || name.contains("LayerNorm");
    }
}
