package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.rewardstream.encoder.TokenSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the pre-trained encoder computes for a set of token sequences, kept in Java memory so that a run does not
 * compute it again: each sequence's pooled vector (the features a linear probe is fitted on) and, for a top-N run,
 * the input of the first trained layer and (for the layer-mean output) the sum of the frozen layers' outputs, so
 * that each step runs only the trained layers. Built once, it can serve several runs on subsets of the sequences
 * (the splits of a benchmark). Looked up by the sequence's token ids and type ids.
 */
public final class FrozenStates {

    private static final int BATCH = 32;

    private final String encoderSha256;
    private final int layers;
    private final int firstTrainedLayer;
    private final int hidden;
    private final Map<Key, Entry> entries;

    private FrozenStates(String encoderSha256, int layers, int firstTrainedLayer, int hidden,
                         Map<Key, Entry> entries) {
        this.encoderSha256 = encoderSha256;
        this.layers = layers;
        this.firstTrainedLayer = firstTrainedLayer;
        this.hidden = hidden;
        this.entries = entries;
    }

    /**
     * Runs the encoder (as loaded, not trained) over the distinct sequences, without gradients.
     *
     * @param firstTrainedLayer the first layer a run trains; the states at its input are kept when it is above 0
     *                          and below the encoder's layer count
     */
    static FrozenStates compute(TrainableEncoder encoder, List<TokenSequence> sequences, int firstTrainedLayer) {
        List<Key> keys = new ArrayList<>(sequences.stream().map(Key::of).distinct().toList());
        keys.sort(Comparator.comparingInt(k -> k.ids.length));
        boolean keepStates = firstTrainedLayer > 0 && firstTrainedLayer < encoder.shape().layers();
        Map<Key, Entry> entries = new HashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH) {
            List<Key> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
            computeBatch(encoder, batch, keepStates ? firstTrainedLayer : -1, entries);
        }
        return new FrozenStates(encoder.source().sha256(), encoder.shape().layers(), firstTrainedLayer,
                encoder.shape().hidden(), entries);
    }

    private static void computeBatch(TrainableEncoder encoder, List<Key> batch, int boundary, Map<Key, Entry> out) {
        TokenBatch tokens = TokenBatch.of(batch.stream().map(Key::sequence).toList(), encoder.shape());
        BertEncoder bert = encoder.bert();
        int layers = bert.layerCount();
        try (NDManager step = encoder.manager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList in = encoder.inputs(tokens, step);
            NDArray maskAdd = BertEncoder.maskAdd(in.get(2));
            NDArray x = bert.embeddings(in.get(0), in.get(1));
            List<NDArray> states = new ArrayList<>(bert.layers(x, maskAdd, 0, layers, 0f));
            NDArray pooled = MaskedMeanPooling.pool(encoder.output().select(states), in.get(2));
            float[] pooledFlat = pooled.toFloatArray();
            float[] inputFlat = boundary > 0 ? states.get(boundary - 1).toFloatArray() : null;
            float[] sumFlat = boundary > 0 && encoder.output() == EncoderOutput.LAYER_MEAN
                    ? sum(states.subList(0, boundary)).toFloatArray() : null;
            int width = (int) tokens.ids()[0].length;
            int hidden = encoder.shape().hidden();
            for (int row = 0; row < batch.size(); row++) {
                int length = batch.get(row).ids.length;
                out.put(batch.get(row), new Entry(Arrays.copyOfRange(pooledFlat, row * hidden, (row + 1) * hidden),
                        slice(inputFlat, row, width, length, hidden), slice(sumFlat, row, width, length, hidden)));
            }
        }
    }

    private static NDArray sum(List<NDArray> states) {
        NDArray total = states.get(0);
        for (int i = 1; i < states.size(); i++) {
            total = total.add(states.get(i));
        }
        return total;
    }

    /** The first {@code length} positions of row {@code row} of a [batch, width, hidden] array. */
    private static float[] slice(float[] flat, int row, int width, int length, int hidden) {
        if (flat == null) {
            return null;
        }
        int start = row * width * hidden;
        return Arrays.copyOfRange(flat, start, start + length * hidden);
    }

    /** Whether these states were computed from this encoder graph and keep the input of this layer. */
    boolean serves(String sha256, int firstTrained) {
        boolean statesNeeded = firstTrained > 0 && firstTrained < layers;
        return encoderSha256.equals(sha256) && (!statesNeeded || firstTrained == firstTrainedLayer);
    }

    /**
     * Whether a run of {@code recipe} can use these states (its sequences must also be among them, which holds
     * when they were prepared for a superset of its pairs at the same maximum length).
     */
    public boolean serves(FineTuneRecipe recipe) {
        return serves(encoderSha256, recipe.training().firstTrainedLayer(layers));
    }

    /** The pooled vectors of the given sequences. */
    float[][] pooled(List<TokenSequence> sequences) {
        float[][] rows = new float[sequences.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = entry(sequences.get(i)).pooled;
        }
        return rows;
    }

    /**
     * The padded [batch, seq, hidden] input of the first trained layer and the frozen layers' output sum (null
     * when the output is the last layer's) of a batch, in {@code manager}.
     */
    NDList lowerStates(List<TokenSequence> sequences, int width, boolean withSum, NDManager manager) {
        float[] input = new float[sequences.size() * width * hidden];
        float[] sum = withSum ? new float[input.length] : null;
        for (int row = 0; row < sequences.size(); row++) {
            Entry e = entry(sequences.get(row));
            System.arraycopy(e.input, 0, input, row * width * hidden, e.input.length);
            if (withSum) {
                System.arraycopy(e.lowerSum, 0, sum, row * width * hidden, e.lowerSum.length);
            }
        }
        Shape shape = new Shape(sequences.size(), width, hidden);
        NDList out = new NDList(manager.create(input, shape));
        if (withSum) {
            out.add(manager.create(sum, shape));
        }
        return out;
    }

    private Entry entry(TokenSequence sequence) {
        Entry e = entries.get(Key.of(sequence));
        if (e == null) {
            throw new IllegalArgumentException("a sequence of " + sequence.length() + " tokens is not among the "
                    + entries.size() + " whose frozen states were computed");
        }
        return e;
    }

    public int size() {
        return entries.size();
    }

    /** What one sequence's frozen pass gave. */
    private record Entry(float[] pooled, float[] input, float[] lowerSum) {
    }

    /** A sequence's token ids and type ids, compared by content. */
    private record Key(long[] ids, long[] types, boolean truncated) {

        static Key of(TokenSequence s) {
            return new Key(s.ids(), s.typeIds(), s.truncated());
        }

        TokenSequence sequence() {
            return new TokenSequence(ids, types, truncated);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(ids, k.ids) && Arrays.equals(types, k.types);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(ids) + Arrays.hashCode(types);
        }
    }
}
