package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rewardstream.encoder.TokenSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link TrainableEncoder} and a scalar reward head together on preference pairs with the Bradley-Terry
 * loss and AdamW, one mini-batch per {@link #step}. The encoder stays owned by the caller; closing the tuner frees
 * the head and the optimiser state only. Not thread-safe, and one tuner trains at a time per JVM (PyTorch records
 * gradients through one collector at a time).
 */
public final class RewardFineTuner implements AutoCloseable {

    private final TrainableEncoder encoder;
    private final FineTuneOptions options;
    private final NDManager manager;
    private final ScalarHead head;
    private final AdamW optimizer;

    private RewardFineTuner(TrainableEncoder encoder, FineTuneOptions options, float[] headWeights, float headBias) {
        if (headWeights.length != encoder.shape().hidden()) {
            throw new IllegalArgumentException("a head for hidden size " + encoder.shape().hidden() + " needs as many"
                    + " weights, got " + headWeights.length);
        }
        this.encoder = encoder;
        this.options = options;
        this.manager = encoder.manager().newSubManager();
        this.head = ScalarHead.of(headWeights, headBias, manager);
        this.optimizer = new AdamW(manager);
        for (Map.Entry<String, NDArray> p : encoder.parameters().arrays().entrySet()) {
            optimizer.add(p.getValue(), options.encoderLearningRate(),
                    BertNames.isBiasOrNorm(p.getKey()) ? 0f : options.weightDecay());
        }
        optimizer.add(head.weight(), options.headLearningRate(), options.weightDecay());
        optimizer.add(head.bias(), options.headLearningRate(), 0f);
    }

    /** A tuner starting from a given head, e.g. one fitted on the frozen encoder's features first. */
    public static RewardFineTuner withHead(TrainableEncoder encoder, float[] headWeights, float headBias,
                                           FineTuneOptions options) {
        return new RewardFineTuner(encoder, options, headWeights.clone(), headBias);
    }

    /** A tuner starting from a head with seeded N(0, 1/hidden) weights and a zero bias. */
    public static RewardFineTuner withRandomHead(TrainableEncoder encoder, long seed, FineTuneOptions options) {
        Random random = new Random(seed);
        float[] weights = new float[encoder.shape().hidden()];
        double scale = 1.0 / Math.sqrt(weights.length);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextGaussian() * scale);
        }
        return new RewardFineTuner(encoder, options, weights, 0f);
    }

    /**
     * One optimisation step on a batch: forward both sides, backward, AdamW update of encoder and head.
     *
     * @return the batch's loss before the update, and the gradient norm before clipping
     * @throws IllegalArgumentException when a sequence does not fit the encoder (see {@link TrainableEncoder})
     */
    public StepResult step(PreferencePairs pairs) {
        List<TokenSequence> both = new ArrayList<>(pairs.chosen());
        both.addAll(pairs.rejected());
        TokenBatch batch = TokenBatch.of(both, encoder.shape());
        int n = pairs.size();
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            float loss;
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                NDArray rewards = head.scores(encoder.pooled(batch, step));
                NDArray margins = step.create(pairs.margins(), new Shape(n));
                NDArray value = BradleyTerryLoss.of(rewards.get("0:" + n), rewards.get(n + ":"), margins,
                        options.centering());
                collector.backward(value);
                loss = value.getFloat();
            }
            float norm = optimizer.step(options.maxGradNorm());
            return new StepResult(loss, norm);
        }
    }

    /** The reward of each sequence under the current encoder and head, without recording gradients. */
    public float[] rewards(List<TokenSequence> sequences) {
        TokenBatch batch = TokenBatch.of(sequences, encoder.shape());
        try (NDManager step = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return head.scores(encoder.pooled(batch, step)).toFloatArray();
        }
    }

    public float[] headWeights() {
        return head.weight().toFloatArray();
    }

    public float headBias() {
        return head.bias().getFloat();
    }

    /** The head's arrays, for tests. */
    ScalarHead head() {
        return head;
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }

    /**
     * What one step measured.
     *
     * @param loss         the batch's loss before the update
     * @param gradientNorm the global L2 norm of all gradients before clipping
     */
    public record StepResult(float loss, float gradientNorm) {
    }
}
