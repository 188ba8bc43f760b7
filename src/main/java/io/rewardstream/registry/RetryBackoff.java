package io.rewardstream.registry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the n-th retry (0-based) waits between half and all of
 * {@code min(maxWait, initialWait * 2^n)}.
 */
public record RetryBackoff(int maxRetries, Duration initialWait, Duration maxWait) {

    public RetryBackoff {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative");
        }
        if (initialWait.isNegative() || maxWait.compareTo(initialWait) < 0) {
            throw new IllegalArgumentException("need 0 <= initialWait <= maxWait");
        }
    }

    /** Upper bound of the wait before retry number {@code retry} (0-based). */
    public Duration ceiling(int retry) {
        long initial = initialWait.toMillis();
        long grown = retry >= 62 || initial << Math.min(retry, 62) < 0 ? Long.MAX_VALUE : initial << retry;
        return Duration.ofMillis(Math.min(maxWait.toMillis(), grown));
    }

    /** The wait before retry number {@code retry}, drawn uniformly from [ceiling / 2, ceiling]. */
    public Duration delay(int retry) {
        long ceiling = ceiling(retry).toMillis();
        if (ceiling <= 1) {
            return Duration.ofMillis(ceiling);
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
}
