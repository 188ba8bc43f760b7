package io.rewardstream.model;

/** A model directory or release that cannot be used as it is, with the reason. */
public final class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }
}
