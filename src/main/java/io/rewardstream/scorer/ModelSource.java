package io.rewardstream.scorer;

import io.rewardstream.signing.ReleaseVerifier;
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
     * @param verifier  accept only releases signed with its key (releases.verify-key); null accepts unsigned ones
     */
    record Releases(String modelName, ReleaseVerifier verifier) implements ModelSource {

        /** Releases of {@code modelName}, signed or not. */
        public Releases(String modelName) {
            this(modelName, null);
        }
    }
}
