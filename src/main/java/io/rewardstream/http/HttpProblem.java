package io.rewardstream.http;

import java.util.OptionalLong;

/**
 * A request the server refuses, with the HTTP status, a message that says why and, for a refusal that passes
 * (overload, a timeout), the seconds after which a retry may succeed (sent as {@code Retry-After}).
 */
public final class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final long retryAfterSeconds;

    public HttpProblem(int status, String message) {
        this(status, message, -1);
    }

    public HttpProblem(int status, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }
}
