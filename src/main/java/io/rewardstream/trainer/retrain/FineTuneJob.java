package io.rewardstream.trainer.retrain;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.evaluation.PairedComparison;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.evaluation.TemperatureScaling;
import io.rewardstream.head.FeatureLayout;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Fine-tunes the encoder on a snapshot's texts, off the stream thread: the trainer's slow path. The candidate is
 * measured as a head-only one is: temperature on a validation slice, accuracy on the snapshot's held-out pairs beside
 * the live model's on the same pairs, normalisation from the pairs it was fitted on. Pairs stored without texts
 * (before texts were kept) are left out.
 */
public final class FineTuneJob {

    private final EncoderFineTuner tuner;
    private final long seed;
    private final int maxLength;
    private final int threads;

    /** @param threads ONNX Runtime threads of the session that measures the candidate */
    public FineTuneJob(EncoderFineTuner tuner, long seed, int maxLength, int threads) {
        this.tuner = tuner;
        this.seed = seed;
        this.maxLength = maxLength;
        this.threads = threads;
    }

    public Candidate run(TrainingSnapshot snapshot, LiveRelease live, BooleanSupplier stop) {
        long started = System.nanoTime();
        FitAndValidation split = FitAndValidation.of(withTexts(snapshot.train()), seed);
        EncoderFineTuner.FineTuned tuned = tuner.fineTune(texts(split.fit()), texts(split.validation()), stop);
        TextScorer scorer = new TextScorer(tuned.encoder(), tuned.head(), maxLength, threads);
        try {
            FeaturePairs fit = scorer.features(split.fit());
            FeaturePairs validation = scorer.features(split.validation());
            double temperature = TemperatureScaling.fit(RewardPairs.gaps(scorer.head(),
                    validation.size() > 0 ? validation : fit));
            List<TrainingPair> heldOutPairs = withTexts(snapshot.heldOut());
            FeaturePairs heldOutFeatures = scorer.features(heldOutPairs);
            PairwiseMetrics heldOut = RewardPairs.evaluate(scorer.head(), heldOutFeatures, temperature);
            PairwiseMetrics train = RewardPairs.evaluate(scorer.head(), fit, temperature);
            Double liveAccuracy = live == null ? null : live.evaluate(snapshot.heldOut()).accuracy();
            PairedComparison versusLive = live == null ? null
                    : live.compare(RewardPairs.gaps(scorer.head(), heldOutFeatures), heldOutPairs);
            return new Candidate(tuned.head(), FeatureLayout.JOINT.featureWidth(scorer.head().inputWidth()), heldOut,
                    liveAccuracy, temperature, train.rewardMean(), train.rewardStd(), snapshot,
                    (System.nanoTime() - started) / 1e9, new Candidate.TrainedEncoder(tuned.encoder(), scorer),
                    versusLive);
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
    }

    private static List<TrainingPair> withTexts(List<TrainingPair> pairs) {
        return pairs.stream().filter(p -> p.texts() != null).toList();
    }

    private static List<PairTexts> texts(List<TrainingPair> pairs) {
        return pairs.stream().map(TrainingPair::texts).toList();
    }
}
