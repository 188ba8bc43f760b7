package io.rewardstream.learning;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.head.HeadWeights;
import java.util.Random;

/**
 * Fits a reward head on cached features with the Bradley-Terry loss -log sigmoid(r_w - r_l - margin), AdamW
 * and early stopping on a validation split. Deterministic: single-threaded float arithmetic in a fixed order.
 */
public final class BradleyTerryTrainer {

    /** Told after every epoch, e.g. to draw progress. */
    public interface EpochListener {
        void epochDone(int epoch, int maxEpochs, double trainLoss, double validationLoss);
    }

    /** The best head seen, by validation loss, and how training went. */
    public record Result(HeadWeights head, int epochs, int bestEpoch, double bestValidationLoss) {
    }

    private final TrainingOptions options;

    public BradleyTerryTrainer(TrainingOptions options) {
        this.options = options;
    }

    public Result train(FeaturePairs train, FeaturePairs validation, EpochListener listener) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("no training pairs");
        }
        int width = train.chosen()[0].length;
        FlatHead head = new FlatHead(width, options.hidden(), options.activation(), options.seed());
        AdamW optimiser = new AdamW(head, options.learningRate(), options.weightDecay());
        Random shuffler = new Random(options.seed() ^ 0x5DEECE66DL);
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] best = head.params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        PairGradient gradient = new PairGradient(head, options);
        while (epoch < options.maxEpochs() && epoch - bestEpoch < options.patience()) {
            epoch++;
            shuffle(order, shuffler);
            double trainLoss = 0;
            for (int from = 0; from < order.length; from += options.batchSize()) {
                int to = Math.min(order.length, from + options.batchSize());
                trainLoss += gradient.accumulate(train, order, from, to);
                optimiser.step(gradient.grad(), to - from);
            }
            double validationLoss = validation.size() > 0 ? PairGradient.loss(head, validation, options)
                    : trainLoss / order.length;
            if (validationLoss < bestLoss - 1e-6) {
                bestLoss = validationLoss;
                bestEpoch = epoch;
                System.arraycopy(head.params, 0, best, 0, best.length);
            }
            listener.epochDone(epoch, options.maxEpochs(), trainLoss / order.length, validationLoss);
        }
        System.arraycopy(best, 0, head.params, 0, best.length);
        return new Result(head.toWeights(), epoch, bestEpoch, bestLoss);
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
