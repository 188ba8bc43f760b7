package io.rewardstream.trainer.retrain;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.head.RewardHead;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.serde.AvroBytes;

/** The promoted model currently in service, with what the trainer needs to score pairs with it. */
public record LiveRelease(ModelRelease release, RewardHead head) {

    public static LiveRelease of(ModelRelease release) {
        return new LiveRelease(release, new RewardHead(HeadOnnx.read(AvroBytes.copy(release.getHeadOnnx()))));
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
