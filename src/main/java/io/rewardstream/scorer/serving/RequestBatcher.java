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
 */
public final class RequestBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBatcher.class);

    private record Pending(List<PromptResponse> items, CompletableFuture<ScoredBatch> result) {
    }

    private final BatchScorer scorer;
    private final int batchSize;
    private final long lingerNanos;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;
    private Pending carried;

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
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the scorer is shutting down"));
        } else {
            queue.add(new Pending(List.copyOf(items), result));
        }
        return result;
    }

    private void run() {
        while (running) {
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
        long deadline = System.nanoTime() + lingerNanos;
        while (size < batchSize) {
            long left = deadline - System.nanoTime();
            Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
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

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("the scorer is shutting down"));
        }
        if (carried != null) {
            carried.result().completeExceptionally(new IllegalStateException("the scorer is shutting down"));
        }
    }
}
