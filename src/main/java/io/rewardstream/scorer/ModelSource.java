package io.rewardstream.scorer;

import java.nio.file.Path;

/** Where the scorer's models come from. */
public sealed interface ModelSource {

    /** A fixed deployment: one model directory, loaded at start-up (a bad directory fails the start). */
    record Directory(Path path) implements ModelSource {
    }

    /**
     * The newest PROMOTED {@code ModelRelease} on the models topic, followed as new ones arrive.
     *
     * @param modelName serve releases of this model only; null for whichever model publishes
     */
    record Releases(String modelName) implements ModelSource {
    }
}
