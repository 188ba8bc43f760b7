package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rewardstream.encoder.TokenSequence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One recipe's model at work: the encoder's trained parameters (all, all but the embeddings, or the top N layers
 * fed from {@link FrozenStates}), a scalar head, and AdamW with a rate per layer. Steps on batches of joint pairs
 * and scores sequences. Frees its head and optimiser state on close; the encoder stays the caller's.
 */
final class PairTrainer implements AutoCloseable {

    static final String HEAD_WEIGHT = "head.weight";
    static final String HEAD_BIAS = "head.bias";
    private static final int SCORING_BATCH = 64;

    private final TrainableEncoder encoder;
    private final FineTuneRecipe recipe;
    private final int firstTrained;
    private final FrozenStates frozen;
    private final NDManager manager;
    private final ScalarHead head;
    private final AdamW optimizer;
    private final Map<String, NDArray> trained = new LinkedHashMap<>();

    /**
     * @param frozen the lower layers' states, required when the recipe trains the top layers only
     */
    PairTrainer(TrainableEncoder encoder, FineTuneRecipe recipe, FrozenStates frozen, float[] headWeights,
                float headBias) {
        this.encoder = encoder;
        this.recipe = recipe;
        this.firstTrained = recipe.training().firstTrainedLayer(encoder.shape().layers());
        this.frozen = frozen;
        if (firstTrained > 0 && frozen == null) {
            throw new IllegalArgumentException(recipe.training().label() + " needs the frozen layers' states");
        }
        this.manager = encoder.manager().newSubManager();
        this.head = ScalarHead.of(headWeights, headBias, manager);
        this.optimizer = new AdamW(manager);
        addEncoderParameters();
        add(HEAD_WEIGHT, head.weight(), recipe.headLearningRate(), recipe.weightDecay(), false);
        add(HEAD_BIAS, head.bias(), recipe.headLearningRate(), 0f, false);
    }

    private void addEncoderParameters() {
        int layers = encoder.shape().layers();
        Map<String, NDArray> params = encoder.parameters().arrays();
        if (firstTrained == 0 && !recipe.freezeEmbeddings()) {
            for (String name : BertNames.all(0)) {
                addEncoder(name, params.get(name), layers);
            }
        }
        for (int n = firstTrained; n < layers; n++) {
            for (String name : BertNames.ofLayer(n)) {
                addEncoder(name, params.get(name), layers - 1 - n);
            }
        }
    }

    /** @param depth layers between this parameter and the top layer (the embeddings are below layer 0) */
    private void addEncoder(String name, NDArray param, int depth) {
        float rate = recipe.encoderLearningRate() * (float) Math.pow(recipe.layerDecay(), depth);
        float decay = BertNames.isBiasOrNorm(name) ? 0f : recipe.weightDecay();
        add(name, param, rate, decay, recipe.decayToPretrained());
    }

    private void add(String name, NDArray param, float rate, float decay, boolean toCurrent) {
        trained.put(name, param);
        optimizer.add(param, rate, decay, toCurrent);
    }

    /**
     * One AdamW step on pairs {@code batch} of {@code pairs}.
     *
     * @param rateFactor the schedule's factor for this step
     * @param stepSeed   seeds the step's dropout
     * @return the batch's loss before the update
     */
    float step(JointPairs pairs, int[] batch, float rateFactor, long stepSeed) {
        List<TokenSequence> both = new ArrayList<>(2 * batch.length);
        float[] margins = new float[batch.length];
        for (int k = 0; k < batch.length; k++) {
            both.add(pairs.sequences().get(pairs.chosen()[batch[k]]));
            margins[k] = pairs.margins()[batch[k]];
        }
        for (int i : batch) {
            both.add(pairs.sequences().get(pairs.rejected()[i]));
        }
        int n = batch.length;
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (recipe.dropout() > 0f) {
                step.getEngine().setRandomSeed((int) (stepSeed ^ (stepSeed >>> 32)));
            }
            float loss;
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray rewards = head.scores(pooled(both, step, recipe.dropout()));
                NDArray value = BradleyTerryLoss.of(rewards.get("0:" + n), rewards.get(n + ":"),
                        step.create(margins, new Shape(n)), recipe.centering());
                collector.backward(value);
                loss = value.getFloat();
            }
            optimizer.step(recipe.maxGradNorm(), rateFactor);
            return loss;
        }
    }

    /** The reward of each sequence, without gradients or dropout, in batches of similar length. */
    float[] rewards(List<TokenSequence> sequences) {
        Integer[] order = new Integer[sequences.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length()));
        float[] out = new float[sequences.size()];
        for (int from = 0; from < order.length; from += SCORING_BATCH) {
            List<TokenSequence> batch = new ArrayList<>();
            for (int k = from; k < Math.min(order.length, from + SCORING_BATCH); k++) {
                batch.add(sequences.get(order[k]));
            }
            try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                float[] scores = head.scores(pooled(batch, step, 0f)).toFloatArray();
                for (int k = 0; k < scores.length; k++) {
                    out[order[from + k]] = scores[k];
                }
            }
        }
        return out;
    }

    /** [batch, hidden] pooled vectors: the whole encoder, or the trained layers on the frozen layers' states. */
    private NDArray pooled(List<TokenSequence> sequences, NDManager step, float dropout) {
        TokenBatch batch = TokenBatch.of(sequences, encoder.shape());
        NDList in = encoder.inputs(batch, step);
        NDArray mask = in.get(2);
        NDArray maskAdd = BertEncoder.maskAdd(mask);
        BertEncoder bert = encoder.bert();
        int layers = bert.layerCount();
        NDArray states;
        if (firstTrained == 0) {
            NDArray x = bert.embeddings(in.get(0), in.get(1));
            x = recipe.freezeEmbeddings() ? x.stopGradient() : x;
            states = encoder.output().select(bert.layers(x, maskAdd, 0, layers, dropout));
        } else {
            boolean mean = encoder.output() == EncoderOutput.LAYER_MEAN;
            NDList lower = frozen.lowerStates(sequences, batch.ids()[0].length, mean, step);
            List<NDArray> upper = bert.layers(lower.get(0), maskAdd, firstTrained, layers, dropout);
            states = encoder.output().select(mean ? lower.get(1) : null, upper, layers);
        }
        return MaskedMeanPooling.pool(states, mask);
    }

    /** Copies of the values of every optimised array (encoder parameters, then the head), by name. */
    Map<String, float[]> trainedValues() {
        Map<String, float[]> values = new LinkedHashMap<>();
        trained.forEach((name, array) -> values.put(name, array.toFloatArray()));
        return values;
    }

    /** Puts back values {@link #trainedValues} gave. */
    void setTrainedValues(Map<String, float[]> values) {
        if (!values.keySet().equals(trained.keySet())) {
            throw new IllegalArgumentException("values for " + values.size() + " arrays, " + trained.size()
                    + " are trained");
        }
        values.forEach((name, v) -> trained.get(name).set(v));
    }

    AdamW optimizer() {
        return optimizer;
    }

    float[] headWeights() {
        return head.weight().toFloatArray();
    }

    float headBias() {
        return head.bias().getFloat();
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
