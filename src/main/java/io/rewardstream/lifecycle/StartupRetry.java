package io.rewardstream.lifecycle;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up steps that need a service which may not be up yet (the Kafka cluster, the schema registry): the step is
 * tried until it succeeds, waiting longer after each failure (from {@code first} up to {@code longest}), with one
 * warning per attempt that names the service and the error, and with readiness saying the same in the meantime. A
 * failure that retrying cannot cure (a missing topic, bad credentials) is thrown at once; a stop asked for while
 * waiting ends the retries with {@link Stopped}.
 *
 * @param first   wait after the first failure
 * @param longest longest wait between two attempts
 */
public record StartupRetry(Duration first, Duration longest) {

    private static final Logger LOG = LoggerFactory.getLogger(StartupRetry.class);

    /** 1 s after the first failure, doubling up to 30 s. */
    public static StartupRetry defaults() {
        return new StartupRetry(Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** A stop was asked for while start-up waited for a service. */
    public static final class Stopped extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public Stopped(String service) {
            super("stopped while waiting for " + service);
        }
    }

    /**
     * Runs {@code step} until it succeeds.
     *
     * @param service   names the service in logs and readiness, e.g. "Kafka at broker:9092"
     * @param retriable whether a failure may pass by itself (an unreachable service) rather than need a fix
     * @throws Stopped  when {@code health} is asked to stop before the step succeeded
     */
    public <T> T until(Health health, String service, Supplier<T> step, Predicate<RuntimeException> retriable) {
        String part = "start-up: " + service;
        Duration wait = first;
        health.notReady(part, "connecting to " + service);
        try {
            for (int attempt = 1; ; attempt++) {
                if (health.stopRequested()) {
                    throw new Stopped(service);
                }
                try {
                    T result = step.get();
                    if (attempt > 1) {
                        LOG.info("{} is reachable (attempt {})", service, attempt);
                    }
                    return result;
                } catch (RuntimeException e) {
                    if (!retriable.test(e)) {
                        throw e;
                    }
                    String reason = service + " is unreachable: " + rootMessage(e) + "; retrying in "
                            + wait.toSeconds() + " s (attempt " + attempt + ")";
                    LOG.warn("{}", reason);
                    health.notReady(part, reason);
                }
                if (!health.pause(wait)) {
                    throw new Stopped(service);
                }
                wait = wait.multipliedBy(2).compareTo(longest) > 0 ? longest : wait.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped(service);
        } finally {
            health.ready(part);
        }
    }

    /** The innermost message of {@code e}'s causes, which usually names what failed. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root.getMessage() == null) {
            return root.getClass().getSimpleName();
        }
        return root == e ? root.getMessage() : root.getMessage() + " (" + root.getClass().getSimpleName() + ")";
    }
}
