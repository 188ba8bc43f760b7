package io.rewardstream.artifacts;

import io.rewardstream.avro.ArtifactRef;

/** Where files named by an {@link ArtifactRef} are read from: the artifacts topic, or a map in tests. */
@FunctionalInterface
public interface ArtifactSource {

    /**
     * The file, joined and verified.
     *
     * @throws ArtifactException when it cannot be read whole or does not match the reference
     */
    byte[] read(ArtifactRef ref);
}
