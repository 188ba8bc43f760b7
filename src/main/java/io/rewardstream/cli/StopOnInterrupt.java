package io.rewardstream.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns Ctrl-C (SIGINT, SIGTERM) into a stop request for a long run: the shutdown hook sets the flag, then holds the
 * JVM until the run has saved its checkpoint and {@link #close()} is called (at most {@link #GRACE}).
 */
final class StopOnInterrupt implements AutoCloseable {

    /** Longest the JVM waits at Ctrl-C for the run to save what it can resume from. */
    static final Duration GRACE = Duration.ofMinutes(5);

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    private StopOnInterrupt(AtomicBoolean stop) {
        this.hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rewardstream-stop");
    }

    static StopOnInterrupt install(AtomicBoolean stop) {
        StopOnInterrupt installed = new StopOnInterrupt(stop);
        Runtime.getRuntime().addShutdownHook(installed.hook);
        return installed;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and now lets it go
        }
    }
}
