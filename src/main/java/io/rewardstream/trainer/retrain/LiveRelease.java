package io.rewardstream.trainer.retrain;

import io.rewardstream.artifacts.ArtifactSource;
import io.rewardstream.artifacts.ReleaseEncoders;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.data.FeaturePairs;
import io.rewardstream.evaluation.PairedComparison;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.serde.AvroBytes;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The promoted model currently in service, with what the trainer needs to score pairs with it: its head on the
 * store's cached features when it was trained on the frozen encoder, or its own trained encoder on the pairs'
 * texts. Reference counted: the training store holds one reference, each training that compares against it one
 * more ({@link #retain()}); the trained encoder's session closes with the last {@link #drop()}.
 */
public final class LiveRelease {

    private final ModelRelease release;
    private final RewardHead head;
    private final TextScorer scorer;
    private final AtomicInteger references = new AtomicInteger(1);

    private LiveRelease(ModelRelease release, RewardHead head, TextScorer scorer) {
        this.release = release;
        this.head = head;
        this.scorer = scorer;
    }

    /** A release of a head on the frozen encoder (one without an encoder artifact). */
    public static LiveRelease of(ModelRelease release) {
        return of(release, null, 1);
    }

    /**
     * @param artifacts reads a trained encoder named by the release; unused for a frozen-encoder release
     * @param threads   ONNX Runtime threads of a trained encoder's session
     */
    public static LiveRelease of(ModelRelease release, ArtifactSource artifacts, int threads) {
        HeadWeights weights = HeadOnnx.read(AvroBytes.copy(release.getHeadOnnx()));
        TextScorer scorer = release.getEncoderIdentity().getOnnxArtifact() == null ? null
                : new TextScorer(ReleaseEncoders.resolve(release.getEncoderIdentity(), artifacts), weights,
                        release.getEncoderIdentity().getMaxLength(), threads);
        return new LiveRelease(release, scorer == null ? new RewardHead(weights) : scorer.head(), scorer);
    }

    /** A release whose trained encoder is already open (the one a fine-tune just produced). */
    public static LiveRelease withScorer(ModelRelease release, TextScorer scorer) {
        return new LiveRelease(release, scorer.head(), scorer);
    }

    public ModelRelease release() {
        return release;
    }

    public long version() {
        return release.getVersion();
    }

    public double temperature() {
        return release.getCalibrationTemperature();
    }

    public double heldOutAccuracy() {
        return release.getEvaluation().getAccuracy();
    }

    /** Number of held-out pairs behind {@link #heldOutAccuracy()}. */
    public long heldOutPairs() {
        return release.getTraining().getHeldoutPairs();
    }

    /** Whether this model scores with its own trained encoder (on texts) rather than the store's features. */
    public boolean trainedEncoder() {
        return scorer != null;
    }

    /** r_chosen - r_rejected; a pair without texts gets 0 from a trained-encoder model. */
    public double gap(TrainingPair pair) {
        if (scorer == null) {
            return (double) head.score(pair.chosen()) - head.score(pair.rejected());
        }
        return pair.texts() == null ? 0.0 : scorer.gap(pair.texts());
    }

    /** The model's metrics on {@code pairs} (for a trained encoder, those with texts), at its own temperature. */
    public PairwiseMetrics evaluate(List<TrainingPair> pairs) {
        FeaturePairs features = scorer == null ? RetrainJob.features(pairs) : scorer.features(pairs);
        return RewardPairs.evaluate(head, features, temperature());
    }

    /**
     * The candidate whose gaps on {@code pairs} are {@code candidateGaps} against this model on the same pairs; null
     * when this model cannot score all of them (a trained encoder needs the pairs' texts).
     */
    public PairedComparison compare(double[] candidateGaps, List<TrainingPair> pairs) {
        FeaturePairs features = scorer == null ? RetrainJob.features(pairs) : scorer.features(pairs);
        if (features.size() != candidateGaps.length) {
            return null;
        }
        return PairedComparison.of(candidateGaps, RewardPairs.gaps(head, features));
    }

    /** One more user; pair it with {@link #drop()}. */
    public LiveRelease retain() {
        references.incrementAndGet();
        return this;
    }

    /** Ends one use; the last one closes a trained encoder's session. */
    public void drop() {
        if (references.decrementAndGet() == 0 && scorer != null) {
            scorer.close();
        }
    }
}
