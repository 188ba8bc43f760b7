package io.rewardstream.streams;

import io.rewardstream.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells failures that pass by themselves (the schema registry or the cluster briefly out of reach) from the rest, and
 * how long to wait before a stream thread that died of one is replaced: from 1 s, doubling to {@link #LONGEST}, for
 * as long as such failures keep coming within {@link #QUIET} of each other, up to {@link #BUDGET} in all. Past the
 * budget, or for any other failure, the client shuts down and the process is restarted: a thread is never replaced
 * in a silent loop. Under exactly-once a failed task's transaction is aborted, so the replaced thread starts again
 * from the last commit and nothing is lost or doubled.
 */
final class PassingFailures {

    static final Duration LONGEST = Duration.ofSeconds(15);
    static final Duration QUIET = Duration.ofMinutes(2);
    static final Duration BUDGET = Duration.ofMinutes(10);

    private long streakStart;
    private long lastFailure;
    private int attempts;

    /** Whether {@code error}, or one of its causes, is a failure that may pass by itself. */
    static boolean passing(Throwable error) {
        return first(error) != null;
    }

    /** The passing failure within {@code error}, named with its message (which says what was out of reach). */
    static String describe(Throwable error) {
        Throwable t = first(error);
        t = t == null ? error : t;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Throwable first(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException || t instanceof RetriableException) {
                return t;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * Records a failure at {@code now} (nanoseconds) and says how long to wait before replacing the thread, or empty
     * when it must not be replaced (not a passing failure, or the budget is spent).
     */
    synchronized Optional<Duration> next(Throwable error, long now) {
        if (!passing(error)) {
            return Optional.empty();
        }
        if (attempts == 0 || now - lastFailure > QUIET.toNanos()) {
            streakStart = now;
            attempts = 0;
        }
        lastFailure = now;
        if (now - streakStart > BUDGET.toNanos()) {
            return Optional.empty();
        }
        long wait = Math.min(LONGEST.toMillis(), 1000L << Math.min(attempts, 10));
        attempts++;
        return Optional.of(Duration.ofMillis(wait));
    }

    synchronized int attempts() {
        return attempts;
    }
}
