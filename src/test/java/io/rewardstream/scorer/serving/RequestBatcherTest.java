package io.rewardstream.scorer.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.model.PromptResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBatcherTest {

    private final ModelHolder holder = new ModelHolder();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScoringMetrics metrics = new ScoringMetrics(registry, holder);
    private final CountDownLatch release = new CountDownLatch(1);
    private RequestBatcher batcher;

    @AfterEach
    void stop() {
        release.countDown();
        if (batcher != null) {
            batcher.close();
        }
        holder.close();
    }

    private FakeModel install(boolean blockFirstBatch) {
        FakeModel model = new FakeModel(1);
        if (blockFirstBatch) {
            CountDownLatch first = new CountDownLatch(1);
            model.during(() -> {
                if (first.getCount() > 0) {
                    first.countDown();
                    awaitQuietly(release);
                }
            });
        }
        holder.install(model);
        return model;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RequestBatcher batcher(int maxItems, int maxBatchTokens, Duration linger, long maxQueued) {
        batcher = new RequestBatcher(new BatchScorer(holder, metrics),
                new RequestBatcher.Limits(maxItems, maxBatchTokens, linger, maxQueued));
        return batcher;
    }

    /** One item whose response has {@code tokens - 1} characters, so FakeModel counts {@code tokens} tokens. */
    private static List<PromptResponse> item(String name, int tokens) {
        return List.of(new PromptResponse("p", name + "x".repeat(Math.max(0, tokens - 1 - name.length()))));
    }

    @Test
    void shouldGatherConcurrentRequestsIntoBatchesWithinTheTokenBudget() throws Exception {
        // Given a budget of 40 tokens and a long linger, so only the budget closes a batch, and a first batch (a
        // full budget on its own) held in the model while eight requests of 10 tokens queue behind it: all of
        // them wait together whatever the thread timing, and 80 tokens leave no remainder for the linger to close
        FakeModel model = install(true);
        batcher(64, 40, Duration.ofSeconds(5), 10_000);
        CompletableFuture<ScoredBatch> first = batcher.submit(item("first", 40));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.batchSizes().size() == 1);
        List<CompletableFuture<ScoredBatch>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(batcher.submit(item("r" + i, 10)));
        }

        // When the model is free again
        release.countDown();

        // Then each is scored well within the linger, in two batches of four requests
        first.get(4, TimeUnit.SECONDS);
        for (CompletableFuture<ScoredBatch> call : calls) {
            assertThat(call.get(4, TimeUnit.SECONDS).scores()).hasSize(1);
        }
        assertThat(model.batchSizes().subList(1, model.batchSizes().size())).containsExactly(4, 4);
    }

    @Test
    void shouldScoreALoneRequestAfterTheLinger() throws Exception {
        install(false);
        batcher(64, 10_000, Duration.ofMillis(20), 100_000);
        assertThat(batcher.submit(item("alone", 10)).get(5, TimeUnit.SECONDS).modelVersion()).isEqualTo(1L);
    }

    @Test
    void shouldPutQueuedTextsOfLikeLengthTogether() throws Exception {
        // Given a first batch held in the model while short and long requests queue, alternating
        FakeModel model = install(true);
        batcher(64, 100, Duration.ofMillis(1), 100_000);
        CompletableFuture<ScoredBatch> first = batcher.submit(item("first", 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.batchSizes().size() == 1);
        List<CompletableFuture<ScoredBatch>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(batcher.submit(item("short" + i, 20)));
            calls.add(batcher.submit(item("long" + i, 50)));
        }

        // When the model is free again
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<ScoredBatch> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }

        // Then the four short ones (80 tokens) made one batch and the long ones two (100 tokens each), where
        // arrival order would have mixed them
        List<List<String>> after = model.batches().subList(1, model.batches().size());
        assertThat(after).hasSize(3);
        assertThat(after.get(0)).allSatisfy(r -> assertThat(r).startsWith("short")).hasSize(4);
        assertThat(after.get(1)).allSatisfy(r -> assertThat(r).startsWith("long")).hasSize(2);
        assertThat(after.get(2)).allSatisfy(r -> assertThat(r).startsWith("long")).hasSize(2);
    }

    @Test
    void shouldRefuseBeyondTheQueueBoundWithARetryAfterAndAcceptAgainOnceDrained() throws Exception {
        // Given a first batch held in the model, and 50 tokens queued behind it: the bound
        FakeModel model = install(true);
        batcher(64, 100, Duration.ofMillis(1), 50);
        CompletableFuture<ScoredBatch> first = batcher.submit(item("first", 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.batchSizes().size() == 1);
        CompletableFuture<ScoredBatch> queued = batcher.submit(item("queued", 50));

        // When
        CompletableFuture<ScoredBatch> refused = batcher.submit(item("refused", 10));

        // Then
        assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(QueueFullException.class, e -> {
                    assertThat(e.retryAfterSeconds()).isPositive();
                    assertThat(e.getMessage()).contains("scoring.max-queued-tokens");
                });
        assertThat(registry.get("rewardstream.scorer.queue.refusals").counter().count()).isEqualTo(1.0);
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        queued.get(10, TimeUnit.SECONDS);
        assertThat(batcher.submit(item("later", 10)).get(10, TimeUnit.SECONDS).scores()).hasSize(1);
    }

    @Test
    void shouldDropARequestThatTimedOutWhileItWaited() throws Exception {
        // Given a request waiting behind a held batch
        FakeModel model = install(true);
        batcher(64, 100, Duration.ofMillis(1), 10_000);
        CompletableFuture<ScoredBatch> first = batcher.submit(item("first", 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.batchSizes().size() == 1);
        CompletableFuture<ScoredBatch> gaveUp = batcher.submit(item("gave-up", 10))
                .orTimeout(1, TimeUnit.MILLISECONDS);
        assertThatThrownBy(() -> gaveUp.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(TimeoutException.class);
        CompletableFuture<ScoredBatch> waited = batcher.submit(item("waited", 10));

        // When
        release.countDown();
        first.get(10, TimeUnit.SECONDS);
        waited.get(10, TimeUnit.SECONDS);

        // Then
        assertThat(model.batches()).noneSatisfy(batch -> assertThat(batch).anyMatch(r -> r.startsWith("gave-up")));
    }

    @Test
    void shouldScoreWhatIsQueuedWhenClosingAndRefuseWhatComesAfter() throws Exception {
        // Given a request queued behind a held batch
        FakeModel model = install(true);
        batcher(64, 100, Duration.ofMillis(1), 10_000);
        CompletableFuture<ScoredBatch> first = batcher.submit(item("first", 5));
        await().atMost(Duration.ofSeconds(10)).until(() -> model.batchSizes().size() == 1);
        CompletableFuture<ScoredBatch> queued = batcher.submit(item("queued", 10));

        // When the batcher closes while the model is released
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> batcher.close(Duration.ofSeconds(10)));
        await().atMost(Duration.ofSeconds(10)).until(() -> batcher.submit(item("late", 10)).isCompletedExceptionally());
        release.countDown();
        closing.get(20, TimeUnit.SECONDS);

        // Then
        assertThat(first.get().scores()).hasSize(1);
        assertThat(queued.get().scores()).hasSize(1);
        assertThatThrownBy(() -> batcher.submit(item("later", 10)).get()).cause()
                .isInstanceOf(RequestBatcher.StoppingException.class);
    }
}
