package io.rewardstream.lifecycle;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one process tells its orchestrator, and what its roles tell each other about stopping. Shared by every role
 * the process runs (with {@code run --role all}, the trainer and the scorer report to one {@code Health}).
 *
 * <ul>
 *   <li><b>Liveness</b>: down once any part reported itself dead (a Kafka Streams client in ERROR or stopped by
 *   itself, a thread the process cannot work without); it never comes back, because the process must be
 *   restarted. {@code run} then stops and exits non-zero.</li>
 *   <li><b>Readiness</b>: ready when no part holds it back; otherwise the first reason, for example "Kafka at
 *   broker:9092 is unreachable ...; retrying in 4 s". Stopping and death make it unready too.</li>
 *   <li><b>Stop</b>: asked for once (a signal, a death); whoever waits in {@link #awaitStop} wakes up, and start-up
 *   retries give up their wait.</li>
 * </ul>
 */
public final class Health {

    private static final Logger LOG = LoggerFactory.getLogger(Health.class);

    private final Map<String, String> holdingBack = new LinkedHashMap<>();
    private String deathReason;
    private String stopReason;

    /** Marks {@code part} as not ready, saying why; replaces what it said before. */
    public synchronized void notReady(String part, String reason) {
        holdingBack.put(part, reason);
    }

    /** {@code part} no longer holds readiness back. */
    public synchronized void ready(String part) {
        holdingBack.remove(part);
    }

    /**
     * Reports a part dead: liveness fails from now on and a stop is asked for. The first death is the one reported.
     */
    public void dead(String reason) {
        synchronized (this) {
            if (deathReason != null) {
                return;
            }
            deathReason = reason;
        }
        LOG.error("Not alive any more: {}; stopping so that the process is restarted", reason);
        requestStop("a part of the process died: " + reason);
    }

    /** Empty while alive, else why not. */
    public synchronized Optional<String> deadReason() {
        return Optional.ofNullable(deathReason);
    }

    /** Empty when ready; otherwise why not (stopping first, then death, then the first part holding back). */
    public synchronized Optional<String> notReadyReason() {
        if (stopReason != null) {
            return Optional.of("shutting down (" + stopReason + ")");
        }
        if (deathReason != null) {
            return Optional.of(deathReason);
        }
        return holdingBack.values().stream().findFirst();
    }

    /** Asks the process to stop; the first reason is kept. */
    public synchronized void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
            notifyAll();
        }
    }

    public synchronized boolean stopRequested() {
        return stopReason != null;
    }

    /** Why the stop was asked for, once it was. */
    public synchronized Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    /** Waits until a stop is asked for. */
    public synchronized void awaitStop() throws InterruptedException {
        while (stopReason == null) {
            wait();
        }
    }

    /**
     * Waits up to {@code time}, less when a stop is asked for meanwhile.
     *
     * @return true when the wait ran its full time, false when a stop cut it short (or had been asked for already)
     */
    public synchronized boolean pause(Duration time) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        while (stopReason == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return false;
    }
}
