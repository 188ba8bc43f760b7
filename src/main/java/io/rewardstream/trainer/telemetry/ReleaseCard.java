package io.rewardstream.trainer.telemetry;

import io.rewardstream.avro.ModelRelease;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The card of a release as the trainer published it: what it was trained on, how it did, its calibration. */
final class ReleaseCard {

    private ReleaseCard() {
    }

    static Map<String, Object> of(ModelRelease release) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", release.getModelName() + " v" + release.getVersion());
        card.put("promoted", release.getCreatedAt().toString());
        var training = release.getTraining();
        card.put("training pairs", training.getTrainPairs());
        card.put("held-out pairs", training.getHeldoutPairs());
        card.put("training data from", training.getWindowStart() + " to " + training.getWindowEnd());
        var evaluation = release.getEvaluation();
        card.put("held-out accuracy", evaluation.getAccuracy());
        if (evaluation.getLiveAccuracy() != null) {
            card.put("previous model on the same pairs", evaluation.getLiveAccuracy());
        }
        card.put("log loss", evaluation.getLogLoss());
        card.put("calibration error (ECE)", evaluation.getEce());
        if (evaluation.getLengthCorrelation() != null) {
            card.put("reward-length correlation", evaluation.getLengthCorrelation());
        }
        card.put("calibration temperature", release.getCalibrationTemperature());
        card.put("reward normalisation", String.format(Locale.ROOT, "mean %.4g, std %.4g",
                release.getNormalization().getMean(), release.getNormalization().getStd()));
        var encoder = release.getEncoderIdentity();
        card.put("encoder", encoder.getName() + (encoder.getOnnxArtifact() != null ? " (fine-tuned)" : ""));
        card.put("why promoted", release.getStatusReason());
        return card;
    }
}
