package io.rewardstream.scorer.serving;

/** Scoring was asked for before any model was in service. */
public final class NoModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NoModelException(String message) {
        super(message);
    }
}
