package io.rewardstream.runtime;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the calls running on a native resource (an ONNX Runtime session, a native tokenizer) so that the resource
 * is freed only once none runs: freeing a session while a thread is inside {@code OrtSession.run} crashes the JVM.
 * {@link #drain} refuses new calls and waits, up to a bound, for the running ones to leave; a call that arrives
 * after it fails with a {@link ResourceClosedException} instead of touching freed memory.
 */
public final class InFlightCalls {

    private final String resource;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int running;
    private boolean closing;

    /** @param resource names the resource in the exception a late call gets */
    public InFlightCalls(String resource) {
        this.resource = resource;
    }

    /** One call on the resource; close it when the call returns. */
    public final class Call implements AutoCloseable {

        private boolean done;

        private Call() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!done) {
                    done = true;
                    if (--running == 0) {
                        idle.signalAll();
                    }
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Enters a call.
     *
     * @throws ResourceClosedException once {@link #drain} has begun
     */
    public Call enter() {
        lock.lock();
        try {
            if (closing) {
                throw new ResourceClosedException(resource + " is closed");
            }
            running++;
            return new Call();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new calls from now on and waits up to {@code timeout} for the running ones to return.
     *
     * @return true when no call runs any more (the resource may be freed), false when some still ran at the timeout
     */
    public boolean drain(Duration timeout) {
        lock.lock();
        try {
            closing = true;
            long left = timeout.toNanos();
            while (running > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
            return running == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Calls running now. */
    public int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }
}
