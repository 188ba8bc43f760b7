package io.rewardstream.streams;

import io.rewardstream.lifecycle.Health;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a Kafka Streams client to the process's {@link Health}: its readiness is held back until the client first
 * runs, and once it is in ERROR, or stopped without the process stopping, the process is reported dead (liveness
 * fails and {@code run} exits non-zero) with the reason, the error that killed a stream thread when there was one.
 * A stream thread that died of a failure that passes by itself (the registry or the cluster out of reach) is replaced
 * after a backoff, with readiness saying so, within the budget of {@link PassingFailures}; any other failure shuts the
 * client down (so that the orchestrator restarts the process), never a silent loop. Attach it before the client
 * starts: it sets the client's state listener and uncaught-exception handler.
 */
public final class StreamsWatch {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsWatch.class);

    private final String name;
    private final Health health;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicBoolean ranOnce = new AtomicBoolean();
    private final PassingFailures passing = new PassingFailures();

    private StreamsWatch(String name, Health health) {
        this.name = name;
        this.health = health;
    }

    /**
     * @param name what the client is, as readiness and logs say it ("the scoring stream")
     */
    public static StreamsWatch attach(KafkaStreams streams, String name, Health health) {
        StreamsWatch watch = new StreamsWatch(name, health);
        health.notReady(name, name + " has not started");
        streams.setStateListener(watch::changed);
        streams.setUncaughtExceptionHandler(watch::failed);
        return watch;
    }

    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse failed(Throwable error) {
        Optional<Duration> wait = health.stopRequested() ? Optional.empty() : passing.next(error, System.nanoTime());
        if (wait.isPresent()) {
            String reason = name + " is recovering from " + PassingFailures.describe(error) + " (replacing its thread in "
                    + wait.get().toMillis() + " ms, attempt " + passing.attempts() + ")";
            LOG.warn("{}", reason);
            health.notReady(name, reason);
            try {
                Thread.sleep(wait.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        lastError.compareAndSet(null, error.toString());
        LOG.error("{} failed; shutting its client down so that the process is restarted", name, error);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private void changed(KafkaStreams.State now, KafkaStreams.State before) {
        LOG.debug("{}: {} -> {}", name, before, now);
        switch (now) {
            case RUNNING -> {
                ranOnce.set(true);
                health.ready(name);
            }
            case REBALANCING -> {
                if (!ranOnce.get() && passing.attempts() == 0) {
                    health.notReady(name, name + " is joining its group (rebalancing)");
                }
            }
            case PENDING_ERROR, ERROR -> health.dead(reason(now));
            case PENDING_SHUTDOWN, NOT_RUNNING -> {
                if (!health.stopRequested()) {
                    String error = lastError.get();
                    health.dead(name + " stopped (" + now + ") while the process was not stopping"
                            + (error == null ? "" : ", after " + error));
                }
            }
            default -> {
            }
        }
    }

    private String reason(KafkaStreams.State state) {
        String error = lastError.get();
        return name + " is " + state + (error == null ? "" : " after " + error);
    }
}
