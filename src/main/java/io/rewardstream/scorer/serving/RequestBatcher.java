package io.rewardstream.scorer.serving;

import io.rewardstream.model.PromptResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent synchronous requests into micro-batches (by size and linger, like the stream path) and
 * scores each batch through the {@link BatchScorer}, so one model version serves each batch. A request is never
 * split: all of its items are scored together, so its answer carries one version; a request larger than the
 * batch size is scored as a batch of its own.
 *
 * <p>Closing stops taking requests (a request submitted then fails with {@link StoppingException}), lets the requests
 * already queued be scored for up to {@link #DRAIN}, and fails those still waiting after that; a batch being
 * scored is never cut short.
 */
public final class RequestBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBatcher.class);

    private record Pending(List<PromptResponse> items, CompletableFuture<ScoredBatch> result) {
    }

    /** Longest {@link #close} lets queued requests be scored before it fails the rest. */
    public static final Duration DRAIN = Duration.ofSeconds(10);

    private final BatchScorer scorer;
    private final int batchSize;
    private final long lingerNanos;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final Object intake = new Object();
    private volatile boolean accepting = true;
    private volatile Pending carried;

    public RequestBatcher(BatchScorer scorer, int batchSize, Duration linger) {
        this.scorer = scorer;
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
        this.worker = new Thread(this::run, "scorer-request-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Scores {@code items} in the next batch; the future fails with {@link NoModelException} before a model. */
    public CompletableFuture<ScoredBatch> submit(List<PromptResponse> items) {
        CompletableFuture<ScoredBatch> result = new CompletableFuture<>();
        synchronized (intake) {
            if (!accepting) {
                result.completeExceptionally(new StoppingException());
            } else {
                queue.add(new Pending(List.copyOf(items), result));
            }
        }
        return result;
    }

    /** Scores groups until closed and nothing is left in the queue. */
    private void run() {
        while (accepting || carried != null || !queue.isEmpty()) {
            try {
                List<Pending> group = gather();
                if (!group.isEmpty()) {
                    score(group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The next group: the first waiting request, then others until the batch is full or the linger is over. */
    private List<Pending> gather() throws InterruptedException {
        Pending first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
        carried = null;
        if (first != null && first.result().isDone()) {
            return List.of(); // timed out or cancelled while it waited: nobody reads its rewards
        }
        List<Pending> group = new ArrayList<>();
        if (first == null) {
            return group;
        }
        group.add(first);
        int size = first.items().size();
        // Once closing, nothing more can arrive: what is queued is scored without lingering.
        long deadline = accepting ? System.nanoTime() + lingerNanos : System.nanoTime();
        while (size < batchSize) {
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (next.result().isDone()) {
                continue;
            }
            if (size + next.items().size() > batchSize) {
                carried = next;
                break;
            }
            group.add(next);
            size += next.items().size();
        }
        return group;
    }

    private void score(List<Pending> group) {
        List<PromptResponse> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.items()));
        try {
            ScoredBatch batch = scorer.score(all, ScoringMetrics.HTTP);
            int from = 0;
            for (Pending p : group) {
                int to = from + p.items().size();
                p.result().complete(new ScoredBatch(batch.modelName(), batch.modelVersion(),
                        batch.scores().subList(from, to)));
                from = to;
            }
        } catch (RuntimeException e) {
            if (!(e instanceof NoModelException)) {
                LOG.warn("Scoring a batch of {} requested items failed", all.size(), e);
            }
            group.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    /** Stops taking requests and scores the queued ones for up to {@link #DRAIN}; see the class comment. */
    @Override
    public void close() {
        close(DRAIN);
    }

    /** As {@link #close()}, letting queued requests be scored for up to {@code drain}. */
    public void close(Duration drain) {
        synchronized (intake) {
            accepting = false;
        }
        try {
            worker.join(Math.max(1, drain.toMillis()));
            if (worker.isAlive()) {
                LOG.warn("{} queued scoring request(s) not scored within {} ms of shutdown; failing them",
                        queue.size() + (carried == null ? 0 : 1), drain.toMillis());
                // Stops the wait for the next request; a batch being scored runs to its end first.
                worker.interrupt();
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new StoppingException());
        }
        if (carried != null) {
            carried.result().completeExceptionally(new StoppingException());
            carried = null;
        }
    }

    /** A request that came as the scorer was shutting down, or was still queued when its drain time was over. */
    public static final class StoppingException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        StoppingException() {
            super("the scorer is shutting down");
        }
    }
}
