package io.rewardstream.trainer.retrain;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.data.Split;
import io.rewardstream.evaluation.PairwiseEvaluator;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.TemperatureScaling;
import io.rewardstream.head.RewardHead;
import io.rewardstream.learning.BradleyTerryTrainer;
import io.rewardstream.learning.TrainingOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a candidate on a snapshot, off the stream thread. Early stopping and the calibration temperature
 * use a validation slice of the training pairs (by event-id hash), so the held-out pairs stay unseen until
 * the candidate and the live model are measured on them.
 */
public final class RetrainJob {

    private static final double VALIDATION_FRACTION = 0.1;

    private final TrainingOptions options;

    public RetrainJob(TrainingOptions options) {
        this.options = options;
    }

    public Candidate run(TrainingSnapshot snapshot, LiveRelease live) {
        long started = System.nanoTime();
        List<TrainingPair> fit = new ArrayList<>();
        List<TrainingPair> validation = new ArrayList<>();
        for (TrainingPair pair : snapshot.train()) {
            String eventId = pair.pairId().substring(0, pair.pairId().lastIndexOf('#'));
            (Split.unitHash(eventId, options.seed() + 1) < VALIDATION_FRACTION ? validation : fit).add(pair);
        }
        if (fit.isEmpty()) {
            fit = validation;
            validation = List.of();
        }
        BradleyTerryTrainer.Result result = new BradleyTerryTrainer(options)
                .train(features(fit), features(validation), (epoch, max, trainLoss, validationLoss) -> { });
        RewardHead head = new RewardHead(result.head());
        double temperature = TemperatureScaling.fit(gaps(head, validation.isEmpty() ? fit : validation));
        PairwiseMetrics heldOut = evaluate(head, snapshot.heldOut(), temperature);
        PairwiseMetrics train = evaluate(head, fit, temperature);
        Double liveAccuracy = live == null ? null
                : evaluate(live.head(), snapshot.heldOut(), live.temperature()).accuracy();
        return new Candidate(result.head(), head.inputWidth(), heldOut, liveAccuracy, temperature,
                train.rewardMean(), train.rewardStd(), snapshot, (System.nanoTime() - started) / 1e9);
    }

    static FeaturePairs features(List<TrainingPair> pairs) {
        float[][] chosen = new float[pairs.size()][];
        float[][] rejected = new float[pairs.size()][];
        float[] margin = new float[pairs.size()];
        boolean anyMargin = false;
        for (int i = 0; i < pairs.size(); i++) {
            chosen[i] = pairs.get(i).chosen();
            rejected[i] = pairs.get(i).rejected();
            margin[i] = pairs.get(i).strength();
            anyMargin |= !Float.isNaN(margin[i]);
        }
        return new FeaturePairs(chosen, rejected, anyMargin ? margin : null);
    }

    static double[] gaps(RewardHead head, List<TrainingPair> pairs) {
        double[] gaps = new double[pairs.size()];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = (double) head.score(pairs.get(i).chosen()) - head.score(pairs.get(i).rejected());
        }
        return gaps;
    }

    static PairwiseMetrics evaluate(RewardHead head, List<TrainingPair> pairs, double temperature) {
        int n = pairs.size();
        double[] chosen = new double[n];
        double[] rejected = new double[n];
        int[] chosenLength = new int[n];
        int[] rejectedLength = new int[n];
        double[] margins = new double[n];
        for (int i = 0; i < n; i++) {
            TrainingPair pair = pairs.get(i);
            chosen[i] = head.score(pair.chosen());
            rejected[i] = head.score(pair.rejected());
            chosenLength[i] = pair.chosenLength();
            rejectedLength[i] = pair.rejectedLength();
            margins[i] = pair.strength();
        }
        return PairwiseEvaluator.evaluate(chosen, rejected, chosenLength, rejectedLength, margins, temperature);
    }
}
