package io.rewardstream.registry;

/**
 * The registry could not be reached, or kept answering with a server error, until the retries ran out.
 * Unlike the 4xx errors this says nothing about the data, so callers should not dead-letter a record
 * because of it.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether {@code error} is this exception or has it among its causes. */
    public static boolean isIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
