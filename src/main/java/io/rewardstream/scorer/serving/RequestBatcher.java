package io.rewardstream.scorer.serving;

import io.micrometer.core.instrument.Gauge;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.model.PromptResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers concurrent synchronous requests into batches by a token budget, as text-embeddings-inference does, and
 * scores each batch through the {@link BatchScorer}, so one model version serves each batch.
 *
 * <ul>
 *   <li>A batch is due when its requests reach {@link Limits#maxBatchTokens} tokens or {@link Limits#maxItems}
 *       items, or when the oldest waiting request has waited {@link Limits#linger}.</li>
 *   <li>Everything queued then (up to {@link #ROUND_BATCHES} batches of it, oldest first) is taken as one round,
 *       sorted by tokens per item, and cut into batches within the budget: under load, texts of like length are
 *       padded together. Every request of a round is scored before the next round, so none waits behind later
 *       ones for long.</li>
 *   <li>A request is never split: its answer carries one version; a request over the budget is a batch of its
 *       own.</li>
 *   <li>At most {@link Limits#maxQueuedTokens} tokens wait; a request beyond that fails at once with
 *       {@link QueueFullException}, with an estimate of when the queue will have drained. A request whose future
 *       was completed meanwhile (timed out, cancelled) is dropped unscored.</li>
 * </ul>
 *
 * <p>Closing stops taking requests (a request submitted then fails with {@link StoppingException}), lets the requests
 * already queued be scored for up to {@link #DRAIN}, and fails those still waiting after that; a batch being scored
 * is never cut short.
 */
public final class RequestBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestBatcher.class);

    /** Longest {@link #close} lets queued requests be scored before it fails the rest. */
    public static final Duration DRAIN = Duration.ofSeconds(10);

    /** The most batches one round takes from the queue. */
    static final int ROUND_BATCHES = 8;

    /**
     * How requests are batched and how much may wait.
     *
     * @param maxItems        items per batch at most (scoring.batch-size)
     * @param maxBatchTokens  tokens per batch at most (scoring.max-batch-tokens)
     * @param linger          longest the first request of a batch waits for others (scoring.linger)
     * @param maxQueuedTokens tokens waiting at most (scoring.max-queued-tokens)
     */
    public record Limits(int maxItems, int maxBatchTokens, Duration linger, long maxQueuedTokens) {
    }

    /** A request that came after the batcher began to close. */
    public static final class StoppingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoppingException() {
            super("the scorer is shutting down");
        }
    }

    private record Pending(List<PromptResponse> items, int tokens, long arrivedNanos,
                           CompletableFuture<ScoredBatch> result) {

        double tokensPerItem() {
            return (double) tokens / Math.max(1, items.size());
        }
    }

    private final BatchScorer scorer;
    private final Limits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Thread worker;
    private long queuedTokens;
    private int queuedItems;
    private boolean accepting = true;
    /** Tokens scored per second, smoothed over batches; 0 until the first batch. */
    private volatile double tokensPerSecond;

    /** Batches of up to {@code batchSize} items, with the default token budget and queue bound. */
    public RequestBatcher(BatchScorer scorer, int batchSize, Duration linger) {
        this(scorer, new Limits(batchSize,
                Integer.parseInt(ConfigKeys.DEFAULTS.get(ConfigKeys.SCORING_MAX_BATCH_TOKENS)), linger,
                Long.parseLong(ConfigKeys.DEFAULTS.get(ConfigKeys.SCORING_MAX_QUEUED_TOKENS))));
    }

    public RequestBatcher(BatchScorer scorer, Limits limits) {
        this.scorer = scorer;
        this.limits = limits;
        Gauge.builder("rewardstream.scorer.queued.tokens", this, RequestBatcher::queuedTokens)
                .description("Tokens of HTTP scoring requests waiting for a batch")
                .register(scorer.metrics().registry());
        this.worker = new Thread(this::run, "scorer-request-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public ScoringMetrics metrics() {
        return scorer.metrics();
    }

    /**
     * Scores {@code items} in a coming batch. The future fails with {@link NoModelException} before a model, with
     * {@link QueueFullException} when too much work waits, and with {@link StoppingException} once closing.
     */
    public CompletableFuture<ScoredBatch> submit(List<PromptResponse> items) {
        CompletableFuture<ScoredBatch> result = new CompletableFuture<>();
        Pending pending = new Pending(List.copyOf(items), tokens(items), System.nanoTime(), result);
        lock.lock();
        try {
            if (!accepting) {
                result.completeExceptionally(new StoppingException());
            } else if (queuedTokens > 0 && queuedTokens + pending.tokens() > limits.maxQueuedTokens()) {
                scorer.metrics().queueFull();
                result.completeExceptionally(new QueueFullException(queuedTokens + " tokens are waiting to be"
                        + " scored; at most " + limits.maxQueuedTokens() + " may wait ("
                        + ConfigKeys.SCORING_MAX_QUEUED_TOKENS + ")", retryAfterSeconds(queuedTokens)));
            } else {
                queue.addLast(pending);
                queuedTokens += pending.tokens();
                queuedItems += pending.items().size();
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Tokens of the items as the model in service counts them (an estimate before the first model). */
    private int tokens(List<PromptResponse> items) {
        ScoringModel model = scorer.holder().current().orElse(null);
        int n = 0;
        for (PromptResponse item : items) {
            n += model != null ? model.tokens(item) : (item.prompt().length() + item.response().length()) / 4 + 2;
        }
        return n;
    }

    private long retryAfterSeconds(long tokens) {
        double rate = tokensPerSecond;
        return rate <= 0 ? 1 : Math.max(1, Math.min(60, (long) Math.ceil(tokens / rate)));
    }

    private double queuedTokens() {
        lock.lock();
        try {
            return queuedTokens;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            List<Pending> round;
            while ((round = takeRound()) != null) {
                for (List<Pending> batch : cut(round)) {
                    score(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next round (see the class comment), or null once closing and nothing is left. */
    private List<Pending> takeRound() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (!accepting) {
                    return null;
                }
                arrived.await();
            }
            long deadline = queue.peekFirst().arrivedNanos() + limits.linger().toNanos();
            long left;
            while (accepting && queuedTokens < limits.maxBatchTokens() && queuedItems < limits.maxItems()
                    && (left = deadline - System.nanoTime()) > 0) {
                arrived.awaitNanos(left);
            }
            long cap = (long) limits.maxBatchTokens() * ROUND_BATCHES;
            List<Pending> round = new ArrayList<>();
            long taken = 0;
            while (!queue.isEmpty() && (round.isEmpty() || taken + queue.peekFirst().tokens() <= cap)) {
                Pending next = queue.pollFirst();
                queuedTokens -= next.tokens();
                queuedItems -= next.items().size();
                if (!next.result().isDone()) {
                    round.add(next);
                    taken += next.tokens();
                }
            }
            return round;
        } finally {
            lock.unlock();
        }
    }

    /** The round sorted by tokens per item, cut into batches within the budget and the item limit. */
    private List<List<Pending>> cut(List<Pending> round) {
        List<Pending> sorted = new ArrayList<>(round);
        sorted.sort(Comparator.comparingDouble(Pending::tokensPerItem));
        List<List<Pending>> batches = new ArrayList<>();
        List<Pending> batch = new ArrayList<>();
        long tokens = 0;
        int items = 0;
        for (Pending p : sorted) {
            if (!batch.isEmpty() && (tokens + p.tokens() > limits.maxBatchTokens()
                    || items + p.items().size() > limits.maxItems())) {
                batches.add(batch);
                batch = new ArrayList<>();
                tokens = 0;
                items = 0;
            }
            batch.add(p);
            tokens += p.tokens();
            items += p.items().size();
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private void score(List<Pending> group) {
        List<Pending> live = group.stream().filter(p -> !p.result().isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        List<PromptResponse> all = new ArrayList<>();
        long tokens = 0;
        for (Pending p : live) {
            all.addAll(p.items());
            tokens += p.tokens();
        }
        long start = System.nanoTime();
        try {
            ScoredBatch batch = scorer.score(all, ScoringMetrics.HTTP);
            double seconds = Math.max(1e-6, (System.nanoTime() - start) / 1e9);
            double rate = tokens / seconds;
            tokensPerSecond = tokensPerSecond <= 0 ? rate : 0.8 * tokensPerSecond + 0.2 * rate;
            int from = 0;
            for (Pending p : live) {
                int to = from + p.items().size();
                p.result().complete(new ScoredBatch(batch.modelName(), batch.modelVersion(),
                        batch.scores().subList(from, to)));
                from = to;
            }
        } catch (RuntimeException e) {
            if (!(e instanceof NoModelException)) {
                LOG.warn("Scoring a batch of {} requested items failed", all.size(), e);
            }
            live.forEach(p -> p.result().completeExceptionally(e));
        }
    }

    /** Stops taking requests and scores the queued ones for up to {@link #DRAIN}; see the class comment. */
    @Override
    public void close() {
        close(DRAIN);
    }

    /** As {@link #close()}, letting queued requests be scored for up to {@code drain}. */
    public void close(Duration drain) {
        lock.lock();
        try {
            accepting = false;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(Math.max(1, drain.toMillis()));
            if (worker.isAlive()) {
                LOG.warn("Queued scoring requests not scored within {} ms of shutdown; failing them", drain.toMillis());
                worker.interrupt();
                worker.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            Pending left;
            while ((left = queue.pollFirst()) != null) {
                left.result().completeExceptionally(new StoppingException());
            }
            queuedTokens = 0;
            queuedItems = 0;
        } finally {
            lock.unlock();
        }
    }
}
