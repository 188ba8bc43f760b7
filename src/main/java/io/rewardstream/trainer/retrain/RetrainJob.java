package io.rewardstream.trainer.retrain;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.evaluation.PairedComparison;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.evaluation.TemperatureScaling;
import io.rewardstream.head.RewardHead;
import io.rewardstream.learning.BradleyTerryTrainer;
import io.rewardstream.learning.TrainingOptions;
import java.util.List;

/**
 * Trains a candidate on a snapshot, off the stream thread. Early stopping and the calibration temperature
 * use a validation slice of the training pairs (by event-id hash), so the held-out pairs stay unseen until
 * the candidate and the live model are measured on them.
 */
public final class RetrainJob {

    private final TrainingOptions options;

    public RetrainJob(TrainingOptions options) {
        this.options = options;
    }

    public Candidate run(TrainingSnapshot snapshot, LiveRelease live) {
        long started = System.nanoTime();
        FitAndValidation split = FitAndValidation.of(snapshot.train(), options.seed());
        List<TrainingPair> fit = split.fit();
        List<TrainingPair> validation = split.validation();
        FeaturePairs fitPairs = features(fit);
        FeaturePairs validationPairs = features(validation);
        FeaturePairs heldOutPairs = features(snapshot.heldOut());
        BradleyTerryTrainer.Result result = new BradleyTerryTrainer(options)
                .train(fitPairs, validationPairs, (epoch, max, trainLoss, validationLoss) -> { });
        RewardHead head = new RewardHead(result.head());
        double temperature = TemperatureScaling.fit(RewardPairs.gaps(head,
                validation.isEmpty() ? fitPairs : validationPairs));
        PairwiseMetrics heldOut = RewardPairs.evaluate(head, heldOutPairs, temperature);
        PairwiseMetrics train = RewardPairs.evaluate(head, fitPairs, temperature);
        Double liveAccuracy = live == null ? null : live.evaluate(snapshot.heldOut()).accuracy();
        PairedComparison versusLive = live == null ? null
                : live.compare(RewardPairs.gaps(head, heldOutPairs), snapshot.heldOut());
        return new Candidate(result.head(), head.inputWidth(), heldOut, liveAccuracy, temperature,
                train.rewardMean(), train.rewardStd(), snapshot, (System.nanoTime() - started) / 1e9, null,
                versusLive);
    }

    static FeaturePairs features(List<TrainingPair> pairs) {
        int n = pairs.size();
        float[][] chosen = new float[n][];
        float[][] rejected = new float[n][];
        float[] margin = new float[n];
        int[] chosenLength = new int[n];
        int[] rejectedLength = new int[n];
        boolean anyMargin = false;
        for (int i = 0; i < n; i++) {
            TrainingPair pair = pairs.get(i);
            chosen[i] = pair.chosen();
            rejected[i] = pair.rejected();
            margin[i] = pair.strength();
            chosenLength[i] = pair.chosenLength();
            rejectedLength[i] = pair.rejectedLength();
            anyMargin |= !Float.isNaN(margin[i]);
        }
        return new FeaturePairs(chosen, rejected, anyMargin ? margin : null, chosenLength, rejectedLength);
    }
}
