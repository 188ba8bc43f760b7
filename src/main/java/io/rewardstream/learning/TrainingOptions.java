package io.rewardstream.learning;

import io.rewardstream.head.Activation;

/**
 * Hyper-parameters of Bradley-Terry head training.
 *
 * @param hidden            hidden units of the head; 0 for a linear head
 * @param activation        hidden-layer non-linearity
 * @param learningRate      Adam step size
 * @param weightDecay       decoupled weight decay (AdamW) on weights, not biases
 * @param batchSize         pairs per mini-batch
 * @param maxEpochs         upper bound on passes over the training pairs
 * @param patience          epochs without a better validation loss before stopping
 * @param centerCoefficient weight of the reward-centering term mean((r_w + r_l)^2), as TRL's
 *                          center_rewards_coefficient; 0 turns it off
 * @param useMargin         subtract each pair's margin inside the sigmoid (Llama 2 style) when it has one
 * @param seed              seeds initialisation and shuffling: equal seeds give equal heads
 */
public record TrainingOptions(int hidden, Activation activation, double learningRate, double weightDecay,
                              int batchSize, int maxEpochs, int patience, double centerCoefficient,
                              boolean useMargin, long seed) {

    /** The defaults, chosen by the measurements in the README ("Choice of head"). */
    public static TrainingOptions defaults(long seed) {
        return new TrainingOptions(0, Activation.NONE, 1e-3, 1e-2, 64, 200, 8, 0.0, true, seed);
    }

    public TrainingOptions {
        if (hidden < 0 || batchSize <= 0 || maxEpochs <= 0 || patience <= 0) {
            throw new IllegalArgumentException("hidden >= 0, batch size, max epochs and patience > 0 are required");
        }
        if (!(learningRate > 0) || weightDecay < 0 || centerCoefficient < 0) {
            throw new IllegalArgumentException("learning rate must be > 0; weight decay and centering >= 0");
        }
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(hidden, activation, learningRate, weightDecay, batchSize, maxEpochs, patience,
                centerCoefficient, useMargin, newSeed);
    }

    public TrainingOptions withHead(int newHidden, Activation newActivation) {
        return new TrainingOptions(newHidden, newActivation, learningRate, weightDecay, batchSize, maxEpochs,
                patience, centerCoefficient, useMargin, seed);
    }

    public TrainingOptions withWeightDecay(double decay) {
        return new TrainingOptions(hidden, activation, learningRate, decay, batchSize, maxEpochs, patience,
                centerCoefficient, useMargin, seed);
    }

    public TrainingOptions withCentering(double coefficient) {
        return new TrainingOptions(hidden, activation, learningRate, weightDecay, batchSize, maxEpochs, patience,
                coefficient, useMargin, seed);
    }
}
