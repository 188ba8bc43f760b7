package io.rewardstream.demo;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a sender ten times a second with the number of items due, so that a steady rate (including fractional
 * rates such as 2.5/s) comes out without sleeping between sends.
 */
final class Ticker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    private static final long TICK_MS = 100;

    private final ScheduledExecutorService executor;
    private double credit;

    Ticker(String name, double perSecond, IntConsumer send) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(() -> {
            credit += perSecond * TICK_MS / 1000.0;
            int due = (int) credit;
            credit -= due;
            if (due > 0) {
                try {
                    send.accept(due);
                } catch (RuntimeException e) {
                    LOG.warn("{}: sending failed: {}", name, e.toString());
                }
            }
        }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
