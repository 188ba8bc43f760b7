package io.rewardstream.scorer.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Batches scored off the stream thread: the micro-batcher goes on taking responses while a batch is scored, forwards
 * each batch's rewards in arrival order once it finished, holds the stream thread only when {@code inFlight} batches
 * are already running, and never loses a response whose batch was being scored when the task closed. The model's
 * thread is a {@link Lane} the test runs by hand, so that each step happens where the test says.
 */
class MicroBatchInFlightTest {

    private static final int BATCH = 4;

    private final ModelHolder holder = new ModelHolder();
    private final ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://in-flight-" + UUID.randomUUID());
    private final BatchScorer scorer = new BatchScorer(holder, new ScoringMetrics(new SimpleMeterRegistry(), holder));
    private final Lane lane = new Lane();
    private final List<BatcherTask> tasks = new ArrayList<>();

    /** Batches submitted to the model's thread, run one at a time when the test says. */
    private static final class Lane implements Executor {
        private final BlockingQueue<Runnable> queued = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable batch) {
            queued.add(batch);
        }

        /** Scores the oldest submitted batch on the calling thread. */
        void runOne() {
            Runnable next = queued.poll();
            assertThat(next).as("a batch was submitted").isNotNull();
            next.run();
        }

        int queued() {
            return queued.size();
        }
    }

    @AfterEach
    void close() {
        while (lane.queued() > 0) {
            lane.runOne();
        }
        tasks.forEach(BatcherTask::close);
        holder.close();
    }

    private BatcherTask task(int inFlight) {
        BatcherTask task = BatcherTask.start(scorer, serdes, BATCH, inFlight, lane, 1_000);
        tasks.add(task);
        return task;
    }

    private void send(BatcherTask task, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            task.send(prefix + i, 1_000);
        }
    }

    @Test
    void shouldTakeResponsesWhileABatchIsScoredAndForwardItsRewardsOnceItFinished() {
        // Given a full batch handed to the model's thread
        holder.install(new FakeModel(1));
        BatcherTask task = task(2);
        send(task, "a", BATCH);
        assertThat(lane.queued()).isEqualTo(1);

        // When more responses arrive before it finished
        send(task, "b", 2);

        // Then they are stored, and nothing is forwarded yet
        assertThat(task.scored()).isEmpty();
        assertThat(task.stored()).isEqualTo(BATCH + 2);

        // When the batch finishes and the next punctuation (before any linger) runs
        lane.runOne();
        task.punctuate(1_005);

        // Then its rewards are forwarded and its responses leave the store; the others wait on
        assertThat(task.scored()).containsExactly("a0", "a1", "a2", "a3");
        assertThat(task.stored()).isEqualTo(2);
        assertThat(lane.queued()).isZero();
        assertThat(task.context.committed()).as("a full batch commits on the interval").isFalse();
    }

    @Test
    void shouldForwardTwoBatchesInFlightInArrivalOrder() {
        // Given
        holder.install(new FakeModel(1));
        BatcherTask task = task(2);
        send(task, "a", BATCH);
        send(task, "b", BATCH);
        assertThat(lane.queued()).as("both batches start, the second queued behind the first").isEqualTo(2);

        // When
        lane.runOne();
        lane.runOne();
        task.punctuate(1_005);

        // Then
        assertThat(task.scored()).containsExactly("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3");
        assertThat(task.stored()).isZero();
    }

    @Test
    void shouldAskForTheCommitOfALingeringBatchWhenItsRewardsAreForwardedNotWhenItStarts() {
        // Given a response that waited the linger
        holder.install(new FakeModel(1));
        BatcherTask task = task(2);
        task.send("alone", 1_000);

        // When the punctuator starts its batch
        task.punctuate(1_025);

        // Then
        assertThat(lane.queued()).isEqualTo(1);
        assertThat(task.context.committed()).isFalse();

        // When it finished, at the next punctuation
        lane.runOne();
        task.punctuate(1_030);

        // Then
        assertThat(task.scored()).containsExactly("alone");
        assertThat(task.context.committed()).isTrue();
    }

    @Test
    void shouldAskForOneCommitWhenTheLastLingeringBatchOfTheThreadsRoundIsForwarded() {
        // Given two tasks of one thread whose lingering batches start in the same round
        holder.install(new FakeModel(1));
        BatcherTask first = task(2);
        BatcherTask second = task(2);
        first.send("a", 1_000);
        second.send("b", 1_000);
        first.punctuate(1_025);
        second.punctuate(1_025);
        assertThat(lane.queued()).isEqualTo(2);

        // When the first finishes and is forwarded while the other is still being scored
        lane.runOne();
        first.punctuate(1_030);

        // Then no commit yet: it would make only part of the round visible
        assertThat(first.scored()).containsExactly("a");
        assertThat(first.context.committed()).isFalse();

        // When the round's last batch is forwarded
        lane.runOne();
        second.punctuate(1_030);

        // Then one commit covers the round
        assertThat(second.scored()).containsExactly("b");
        assertThat(second.context.committed()).isTrue();
    }

    @Test
    void shouldHoldTheStreamThreadWhenAFullBatchFindsTheBatchesInFlightAtTheLimit() throws Exception {
        // Given two batches in flight, the limit
        holder.install(new FakeModel(1));
        BatcherTask task = task(2);
        send(task, "a", BATCH);
        send(task, "b", BATCH);
        send(task, "c", BATCH - 1);

        // When the response that fills a third batch arrives
        Thread streamThread = new Thread(() -> task.send("c3", 1_000), "stream-thread");
        streamThread.start();

        // Then the stream thread waits for the oldest batch, with nothing forwarded
        await().atMost(Duration.ofSeconds(10)).until(() -> streamThread.getState() == Thread.State.WAITING);
        assertThat(lane.queued()).isEqualTo(2);

        // When the oldest batch finishes
        lane.runOne();
        streamThread.join(Duration.ofSeconds(10).toMillis());

        // Then its rewards are forwarded and the third batch starts
        assertThat(streamThread.isAlive()).isFalse();
        assertThat(task.scored()).containsExactly("a0", "a1", "a2", "a3");
        assertThat(lane.queued()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheResponsesOfABatchBeingScoredWhenTheTaskClosesSoTheNextOwnerScoresThem() throws Exception {
        // Given a batch being scored when the task is closed (a rebalance)
        holder.install(new FakeModel(1));
        BatcherTask task = task(2);
        send(task, "a", BATCH);
        Thread closing = new Thread(task::close, "stream-thread");
        closing.start();

        // Then the close waits for the batch, so that nothing scores for a task that is gone
        await().atMost(Duration.ofSeconds(10)).until(() -> closing.getState() == Thread.State.WAITING);
        lane.runOne();
        closing.join(Duration.ofSeconds(10).toMillis());
        assertThat(closing.isAlive()).isFalse();

        // And its rewards are not forwarded, but its responses are still in the store
        assertThat(task.scored()).isEmpty();
        assertThat(task.stored()).isEqualTo(BATCH);

        // When the partition's next task starts on that store and scores on its own thread
        BatcherTask next = BatcherTask.restart(task, scorer, serdes, BATCH, Runnable::run, 2_000);
        tasks.add(next);
        next.punctuate(2_000 + BatcherTask.LINGER_MS);

        // Then each response gets its reward, once
        assertThat(next.scored()).containsExactly("a0", "a1", "a2", "a3");
        assertThat(next.stored()).isZero();
    }

    @Test
    void shouldGiveEveryBatchInFlightUpWhenOneFindsNoModelAndScoreThemOnceOneIsInService() {
        // Given two batches started before any model is in service
        BatcherTask task = task(2);
        send(task, "a", BATCH);
        send(task, "b", BATCH);

        // When they run and find none
        lane.runOne();
        lane.runOne();
        task.punctuate(1_005);

        // Then nothing is forwarded and every response waits in the store
        assertThat(task.scored()).isEmpty();
        assertThat(task.stored()).isEqualTo(2L * BATCH);

        // When a model arrives and the responses have waited the linger
        holder.install(new FakeModel(1));
        task.punctuate(1_000 + BatcherTask.LINGER_MS);
        lane.runOne();
        lane.runOne();
        task.punctuate(1_030);

        // Then each is scored once, in arrival order
        assertThat(task.scored()).containsExactly("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3");
        assertThat(task.stored()).isZero();
    }

    @Test
    void shouldStillAskForTheCommitOfALingeringBatchAfterAnEarlierOneFoundNoModel() {
        // Given a lingering batch that found no model
        BatcherTask task = task(2);
        task.send("alone", 1_000);
        task.punctuate(1_020);
        lane.runOne();
        task.punctuate(1_025);
        assertThat(task.scored()).isEmpty();

        // When a model arrives and the batch is scored again
        holder.install(new FakeModel(1));
        task.punctuate(1_030);
        lane.runOne();
        task.punctuate(1_035);

        // Then its rewards commit at once, as any lingering batch's
        assertThat(task.scored()).containsExactly("alone");
        assertThat(task.context.committed()).isTrue();
    }
}
