package io.rewardstream.scorer.stream;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The thread that scores the micro-batches of one stream thread's tasks, one batch at a time in the order they were
 * started, so that the stream thread goes on polling, buffering and committing while the model runs. One batch at a
 * time per stream thread is what scoring on the stream thread did too: the model sees no more concurrent calls than
 * before, each still spread over the runtime's intra-op threads.
 *
 * <p>The thread is a daemon and ends after {@link #IDLE_SECONDS} without work (a new one starts with the next batch),
 * so that a stream thread that stopped leaves nothing running; processors wait for their own batches when they close.
 */
final class ModelLane {

    static final long IDLE_SECONDS = 30;

    private static final ThreadLocal<Executor> OF_THREAD = ThreadLocal.withInitial(() -> lane(
            Thread.currentThread().getName() + "-model"));

    private ModelLane() {
    }

    /** The lane of the calling stream thread. */
    static Executor ofCurrentThread() {
        return OF_THREAD.get();
    }

    private static Executor lane(String name) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), work -> {
                    Thread thread = new Thread(work, name);
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
