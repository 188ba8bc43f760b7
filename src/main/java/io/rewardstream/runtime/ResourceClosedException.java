package io.rewardstream.runtime;

/**
 * A call on a native resource (a session, a tokenizer) that arrived after the resource began to close. It is the
 * process shutting down or a model swapped out, never a fault of the input being processed: callers must not
 * dead-letter the record that met it.
 */
public final class ResourceClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ResourceClosedException(String message) {
        super(message);
    }

    /** Whether {@code error} or any of its causes is a {@link ResourceClosedException}. */
    public static boolean within(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ResourceClosedException) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
