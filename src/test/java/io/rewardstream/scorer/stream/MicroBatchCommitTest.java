package io.rewardstream.scorer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the micro-batcher asks Kafka Streams to commit: rewards of a lingering batch become visible at once, and the
 * lingering batches of the tasks one stream thread runs are scored in the same round. Each {@link BatcherTask} is one
 * partition's processor with its own context, scoring on the test's thread.
 */
class MicroBatchCommitTest {

    private final ModelHolder holder = new ModelHolder();
    private final ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://commit-" + UUID.randomUUID());
    private final BatchScorer scorer = new BatchScorer(holder, new ScoringMetrics(new SimpleMeterRegistry(), holder));
    private final List<BatcherTask> tasks = new ArrayList<>();

    MicroBatchCommitTest() {
        holder.install(new FakeModel(1));
    }

    @AfterEach
    void close() {
        tasks.forEach(BatcherTask::close);
        holder.close();
    }

    /** One task's processor, scoring on the caller's thread, started at wall-clock time {@code startMs}. */
    private BatcherTask task(long startMs) {
        BatcherTask task = BatcherTask.start(scorer, serdes, 4, 0, Runnable::run, startMs);
        tasks.add(task);
        return task;
    }

    /** Two tasks started at 1,000 ms: the first holds {@code a} from 1,000 ms, the second {@code b} from 1,012. */
    private BatcherTask[] twoTasksHolding(String a, String b) {
        BatcherTask first = task(1_000);
        BatcherTask second = task(1_000);
        first.send(a, 1_000);
        second.send(b, 1_012);
        return new BatcherTask[] {first, second};
    }

    @Test
    void shouldAskForACommitRightAfterScoringABatchThatLingeredButNotAfterAFullOne() {
        // Given a full batch, scored as it fills
        BatcherTask task = task(1_000);
        for (int i = 0; i < 4; i++) {
            task.send("full-" + i, 1_000);
        }
        assertThat(task.scored()).hasSize(4);
        assertThat(task.context.committed()).as("a busy scorer commits on its interval").isFalse();

        // When one response waits alone past the linger and the wall-clock punctuator fires
        task.send("alone", 1_000);
        task.punctuate(1_025);

        // Then its reward is forwarded and a commit is asked for, so read_committed readers see it now
        assertThat(task.scored()).hasSize(5);
        assertThat(task.context.committed()).isTrue();
    }

    @Test
    void shouldScoreWhatAnotherBatcherTaskOfTheThreadHoldsWhenOneBatcherTasksResponseHasWaitedTheLinger() {
        // Given two partitions' tasks on one thread; the second's response arrived 12 ms after the first's
        BatcherTask[] both = twoTasksHolding("a", "b");
        BatcherTask first = both[0];
        BatcherTask second = both[1];

        // When the first response has waited the linger, whichever task's punctuator runs first in the pass
        second.punctuate(1_020);
        first.punctuate(1_020);

        // Then both are scored in that pass, and both ask for the commit that follows it
        assertThat(second.scored()).containsExactly("b");
        assertThat(first.scored()).containsExactly("a");
        assertThat(second.context.committed()).isTrue();
        assertThat(first.context.committed()).isTrue();
    }

    @Test
    void shouldJoinTheRoundAtItsNextPunctuationWhenTheDueBatcherTaskPunctuatedFirst() {
        // Given
        BatcherTask[] both = twoTasksHolding("a", "b");
        BatcherTask first = both[0];
        BatcherTask second = both[1];

        // When the due task punctuates first and empties its buffer
        first.punctuate(1_020);

        // Then the other still scores what it held when the round opened, at its own punctuation
        assertThat(first.scored()).containsExactly("a");
        second.punctuate(1_021);
        assertThat(second.scored()).containsExactly("b");
    }

    @Test
    void shouldHoldAResponseTheFullLingerWhenNoBatcherTaskOfTheThreadIsDue() {
        // Given
        BatcherTask first = task(1_000);
        BatcherTask second = task(1_000);
        second.send("b", 1_012);

        // When
        first.punctuate(1_020);
        second.punctuate(1_020);

        // Then
        assertThat(second.scored()).isEmpty();

        // When
        second.punctuate(1_032);

        // Then
        assertThat(second.scored()).containsExactly("b");
    }

    @Test
    void shouldNotScoreResponsesThatArriveAfterTheRoundEarly() {
        // Given a round that scored both tasks
        BatcherTask[] both = twoTasksHolding("a", "b");
        BatcherTask first = both[0];
        BatcherTask second = both[1];
        first.punctuate(1_020);
        second.punctuate(1_020);

        // When a response arrives after the round
        second.send("c", 1_021);
        first.punctuate(1_025);
        second.punctuate(1_025);

        // Then it waits its own linger
        assertThat(second.scored()).containsExactly("b");
        second.punctuate(1_041);
        assertThat(second.scored()).containsExactly("b", "c");
    }

    @Test
    void shouldForgetAClosedBatcherTasksBufferSoItNeverMakesAnotherBatcherTaskDue() {
        // Given a task whose response has waited the linger, closed before its punctuator ran (a rebalance)
        BatcherTask first = task(1_000);
        BatcherTask second = task(1_000);
        first.send("a", 1_000);
        first.close();
        second.send("b", 1_012);

        // When
        second.punctuate(1_020);

        // Then
        assertThat(second.scored()).isEmpty();
    }
}
