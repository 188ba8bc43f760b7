package io.rewardstream.trainer.stream;

import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.avro.ModelRelease;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the training store publishes: a model release for the models topic, a record for the metrics topic (an
 * AccuracyReport, a DriftAlert, a ReleaseRejected), or a chunk of a trained encoder for the artifacts topic (or its
 * tombstone, {@code artifact} null, once no release needs it).
 */
public record TrainerOutput(Kind kind, ModelRelease release, SpecificRecord metric, ArtifactChunk artifact) {

    /** Which topic the output goes to. */
    public enum Kind { RELEASE, METRIC, ARTIFACT }

    public static TrainerOutput release(ModelRelease release) {
        return new TrainerOutput(Kind.RELEASE, release, null, null);
    }

    public static TrainerOutput metric(SpecificRecord metric) {
        return new TrainerOutput(Kind.METRIC, null, metric, null);
    }

    /** A chunk of a trained encoder, or null for the tombstone that deletes one. */
    public static TrainerOutput artifact(ArtifactChunk chunk) {
        return new TrainerOutput(Kind.ARTIFACT, null, null, chunk);
    }

    public boolean isRelease() {
        return kind == Kind.RELEASE;
    }
}
