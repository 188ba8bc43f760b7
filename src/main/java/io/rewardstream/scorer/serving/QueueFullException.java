package io.rewardstream.scorer.serving;

/** A scoring request refused because more work is queued than the bound allows; it may be retried later. */
public final class QueueFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public QueueFullException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** About when the queued work will have been scored, in whole seconds (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
