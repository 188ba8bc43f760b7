package io.rewardstream.trainer.stream;

import io.rewardstream.avro.ModelRelease;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the training store publishes: a model release for the models topic, or a record for the metrics topic
 * (an AccuracyReport, a DriftAlert); exactly one is set.
 */
public record TrainerOutput(ModelRelease release, SpecificRecord metric) {

    public static TrainerOutput release(ModelRelease release) {
        return new TrainerOutput(release, null);
    }

    public static TrainerOutput metric(SpecificRecord metric) {
        return new TrainerOutput(null, metric);
    }

    public boolean isRelease() {
        return release != null;
    }
}
