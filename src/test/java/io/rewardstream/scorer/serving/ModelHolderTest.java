package io.rewardstream.scorer.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelHolderTest {

    private final ModelHolder holder = new ModelHolder();
    private final BatchScorer scorer = new BatchScorer(holder, new ScoringMetrics(new SimpleMeterRegistry(), holder));

    private static List<PromptResponse> batch(int size) {
        List<PromptResponse> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            items.add(new PromptResponse("p", "r".repeat(i + 1)));
        }
        return items;
    }

    @Test
    void shouldNeverMixVersionsInABatchWhileModelsAreSwappedUnderConcurrentScoring() throws Exception {
        // Given
        List<FakeModel> models = new ArrayList<>();
        FakeModel first = new FakeModel(1);
        models.add(first);
        holder.install(first);
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger batches = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                List<String> problems = new ArrayList<>();
                while (swapping.get() || batches.get() < 200) {
                    List<PromptResponse> items = batch(8);
                    ScoredBatch scored = scorer.score(items, ScoringMetrics.STREAM);
                    for (int i = 0; i < items.size(); i++) {
                        double expected = FakeModel.rewardOf(items.get(i).response(), scored.modelVersion());
                        if (scored.scores().get(i).reward() != expected) {
                            problems.add("batch stamped " + scored.modelVersion() + " has reward "
                                    + scored.scores().get(i).reward());
                        }
                    }
                    batches.incrementAndGet();
                }
                return problems;
            }));
        }

        // When
        for (long v = 2; v <= 60; v++) {
            FakeModel next = new FakeModel(v);
            models.add(next);
            holder.install(next);
        }
        swapping.set(false);

        // Then
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> w : workers) {
            problems.addAll(w.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(problems).isEmpty();
        assertThat(models.subList(0, models.size() - 1)).allSatisfy(m -> assertThat(m.closed()).isTrue());
        assertThat(models).allSatisfy(m -> assertThat(m.misuse()).isNull());
        assertThat(holder.current()).hasValueSatisfying(m -> assertThat(m.version()).isEqualTo(60L));
    }

    @Test
    void shouldCloseTheOldModelOnlyAfterTheCallInFlightOnItReturns() throws Exception {
        // Given
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        FakeModel old = new FakeModel(1).during(() -> {
            entered.countDown();
            awaitQuietly(proceed);
        });
        holder.install(old);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<ScoredBatch> inFlight = pool.submit(() -> scorer.score(batch(3), ScoringMetrics.HTTP));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        // When
        holder.install(new FakeModel(2));

        // Then
        assertThat(old.closed()).isFalse();
        assertThat(scorer.score(batch(1), ScoringMetrics.HTTP).modelVersion()).isEqualTo(2L);

        // When
        proceed.countDown();

        // Then
        assertThat(inFlight.get(10, TimeUnit.SECONDS).modelVersion()).isEqualTo(1L);
        await().atMost(Duration.ofSeconds(10)).until(old::closed);
        assertThat(old.misuse()).isNull();
        pool.shutdown();
    }

    @Test
    void shouldRefuseAModelThatFailsToLoadAndKeepServingTheCurrentOne() {
        // Given
        FakeModel current = new FakeModel(4);
        holder.install(current);

        // When
        boolean installed = holder.tryInstall("release rm version 5", () -> {
            throw new IllegalArgumentException("head sha256 mismatch");
        });

        // Then
        assertThat(installed).isFalse();
        assertThat(holder.lastRefusal()).hasValueSatisfying(r -> assertThat(r)
                .contains("release rm version 5").contains("head sha256 mismatch"));
        assertThat(scorer.score(batch(2), ScoringMetrics.STREAM).modelVersion()).isEqualTo(4L);
        assertThat(current.closed()).isFalse();
    }

    @Test
    void shouldSayWhyItIsNotReadyUntilAModelIsInstalled() {
        // Given a holder without a model

        // When / Then
        assertThat(holder.notReadyReason()).hasValue(ModelHolder.NO_MODEL);
        assertThatThrownBy(() -> scorer.score(batch(1), ScoringMetrics.HTTP)).isInstanceOf(NoModelException.class);

        // When
        holder.tryInstall("model dir /nowhere", () -> {
            throw new IllegalStateException("metadata.json is missing");
        });

        // Then
        assertThat(holder.notReadyReason()).hasValueSatisfying(r -> assertThat(r).contains("metadata.json is missing"));

        // When
        holder.install(new FakeModel(1));

        // Then
        assertThat(holder.notReadyReason()).isEmpty();
    }

    @Test
    void shouldTellListenersAboutTheCurrentAndEveryLaterModel() {
        // Given
        holder.install(new FakeModel(1));
        List<Long> seen = new ArrayList<>();

        // When
        holder.onInstall(m -> seen.add(m.version()));
        holder.install(new FakeModel(2));

        // Then
        assertThat(seen).containsExactly(1L, 2L);
    }

    @Test
    void shouldCloseTheModelWhenTheHolderClosesWithNothingInFlight() {
        // Given
        FakeModel model = new FakeModel(1);
        holder.install(model);
        RewardModel.Score score = scorer.score(batch(1), ScoringMetrics.HTTP).scores().get(0);
        assertThat(score.reward()).isEqualTo(FakeModel.rewardOf("r", 1));

        // When
        holder.close();

        // Then
        assertThat(model.closed()).isTrue();
        assertThat(holder.current()).isEmpty();
    }

    @Test
    void shouldCloseAModelThatArrivesAfterTheHolderClosedInsteadOfServingIt() {
        // Given a holder closed while a release was still loading
        holder.install(new FakeModel(1));
        holder.close();
        FakeModel late = new FakeModel(2);

        // When the late model arrives
        holder.install(late);

        // Then it is closed, not put in service
        assertThat(late.closed()).isTrue();
        assertThat(late.misuse()).isNull();
        assertThat(holder.current()).isEmpty();
    }

    @Test
    void shouldScoreQueuedRequestsBeforeTheBatcherClosesAndRefuseNewOnes() throws Exception {
        // Given a batcher whose model is busy scoring a first request while three more wait in its queue
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeModel model = new FakeModel(1).during(() -> {
            inside.countDown();
            awaitQuietly(release);
        });
        holder.install(model);
        RequestBatcher batcher = new RequestBatcher(scorer, 2, Duration.ofMillis(1));
        List<java.util.concurrent.CompletableFuture<ScoredBatch>> queued = new ArrayList<>();
        queued.add(batcher.submit(batch(2)));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 3; i++) {
            queued.add(batcher.submit(batch(2)));
        }

        // When it is closed (from another thread, as the shutdown does) and the busy batch then finishes
        var closing = java.util.concurrent.CompletableFuture.runAsync(() -> batcher.close(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> batcher.submit(batch(1)).isCompletedExceptionally());
        release.countDown();
        closing.get(60, TimeUnit.SECONDS);

        // Then every request taken before the close got its rewards, and one made after it was refused with a reason
        for (var request : queued) {
            assertThat(request.get(1, TimeUnit.SECONDS).scores()).hasSize(2);
        }
        assertThatThrownBy(() -> batcher.submit(batch(1)).get(1, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RequestBatcher.StoppingException.class)
                .hasMessageContaining("shutting down");
        assertThat(model.misuse()).isNull();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
