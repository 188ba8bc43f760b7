package io.rewardstream.artifacts;

/** An artifact that cannot be read whole and verified, with the reason. */
public final class ArtifactException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ArtifactException(String message) {
        super(message);
    }
}
