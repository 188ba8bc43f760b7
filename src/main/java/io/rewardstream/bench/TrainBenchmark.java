package io.rewardstream.bench;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.learning.BradleyTerryTrainer;
import io.rewardstream.learning.TrainingOptions;
import java.util.Random;

/**
 * Head training time on cached features: synthetic unit-length vectors of the default feature width whose
 * preferences follow a hidden linear rule with 10% label noise, trained with the default options.
 */
public final class TrainBenchmark {

    /** One measured run. */
    public record Row(int pairs, int width, double seconds, int epochs, double validationLoss) {
    }

    private TrainBenchmark() {
    }

    public static Row run(int pairs, int width, long seed, TrainingOptions options) {
        FeaturePairs all = synthetic(pairs + pairs / 10, width, seed);
        int[] train = new int[pairs];
        int[] validation = new int[pairs / 10];
        for (int i = 0; i < pairs; i++) {
            train[i] = i;
        }
        for (int i = 0; i < validation.length; i++) {
            validation[i] = pairs + i;
        }
        FeaturePairs trainPairs = all.select(train);
        FeaturePairs validationPairs = all.select(validation);
        long start = System.nanoTime();
        BradleyTerryTrainer.Result result = new BradleyTerryTrainer(options)
                .train(trainPairs, validationPairs, (epoch, max, trainLoss, validationLoss) -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Row(pairs, width, seconds, result.epochs(), result.bestValidationLoss());
    }

    static FeaturePairs synthetic(int pairs, int width, long seed) {
        Random random = new Random(seed);
        float[] rule = vector(random, width);
        float[][] chosen = new float[pairs][];
        float[][] rejected = new float[pairs][];
        for (int i = 0; i < pairs; i++) {
            float[] a = vector(random, width);
            float[] b = vector(random, width);
            boolean aWins = dot(rule, a) > dot(rule, b) ^ random.nextDouble() < 0.1;
            chosen[i] = aWins ? a : b;
            rejected[i] = aWins ? b : a;
        }
        return new FeaturePairs(chosen, rejected, null);
    }

    private static float[] vector(Random random, int width) {
        float[] v = new float[width];
        double norm = 0;
        for (int i = 0; i < width; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < width; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
