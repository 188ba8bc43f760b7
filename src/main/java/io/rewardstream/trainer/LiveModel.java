package io.rewardstream.trainer;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.model.RewardHead;
import io.rewardstream.onnx.HeadOnnx;

/** The promoted model currently in service, with what the trainer needs to score pairs with it. */
public record LiveModel(ModelRelease release, RewardHead head) {

    public static LiveModel of(ModelRelease release) {
        return new LiveModel(release, new RewardHead(HeadOnnx.read(release.getHeadOnnx().array())));
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

    /** r_chosen - r_rejected. */
    public double gap(TrainingPair pair) {
        return (double) head.score(pair.chosen()) - head.score(pair.rejected());
    }
}
