package io.rewardstream.scorer.stream;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.model.TextRules;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.NoModelException;
import io.rewardstream.scorer.serving.ScoredBatch;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.streams.BatchBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers valid responses into micro-batches, scores each batch with one model version, and forwards a
 * {@link Scored} reward per response; invalid responses are forwarded at once as dead letters. Each keeps its key
 * and timestamp. A plain {@link Processor} rather than a fixed-key one, because rewards are forwarded from a
 * punctuator too, where there is no input record to derive a fixed-key record from.
 *
 * <p>Waiting responses live in a persistent, changelogged store, so a batch that was filling when the instance
 * died is restored and scored after the restart; under exactly-once v2 the store's changelog writes and the
 * rewards of a batch commit in the same transaction, so each response gets exactly one reward.
 *
 * <p>A batch is scored when it reaches {@code batchSize}, or when its oldest response has waited {@code linger}
 * by the WALL_CLOCK_TIME punctuator, or when a response of another task on the same stream thread has (a
 * {@link LingerGroup}: the thread's lingering batches are scored in one round and committed together). Stream
 * time would not do: it advances only when new records arrive, so the last responses of a burst would wait for
 * traffic that may never come, while a rollout worker blocks on them.
 *
 * <p>A batch is scored on the executor the task was given: the stream thread itself, or the stream thread's
 * {@link ModelLane} ({@code scoring.batches-in-flight} above 0), in which case the stream thread goes on polling and
 * committing while up to that many batches are in flight, and forwards each batch's rewards, oldest first, at the
 * first record or punctuation after it finished. A batch's responses stay in the store until then, so a commit in
 * between keeps them for a restart.
 */
final class MicroBatchProcessor implements Processor<String, RolloutResponse, String, Scored> {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

    private final int batchSize;
    private final long lingerMs;
    private final BatchScorer scorer;
    private final Serializer<RolloutResponse> rawValues;
    private final String applicationId;
    private final TextRules texts;
    private final int maxInFlight;
    private final Supplier<Executor> lanes;
    /** Batches started, not yet forwarded, oldest first: the order they finish in (a lane is first in, first out). */
    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    private ProcessorContext<String, Scored> context;
    private BatchBuffer<RolloutResponse> waiting;
    private LingerGroup group;
    private Executor lane;
    private boolean reportedNoModel;

    /** A batch being scored: its responses (claimed in the buffer), its scores to come, and whether it lingered. */
    private record InFlight(List<BatchBuffer.Entry<RolloutResponse>> batch, CompletableFuture<ScoredBatch> scores,
                            boolean lingered) {

        /** Waits until the batch is scored or failed (the caller reads which). */
        void awaitEnd() {
            scores.handle((scored, failure) -> null).join();
        }
    }

    /**
     * @param lanes where batches are scored, asked once per task in {@code init} on its stream thread; an executor
     *              that runs a batch at once in the caller scores on the stream thread
     */
    MicroBatchProcessor(Batching batching, BatchScorer scorer, Serializer<RolloutResponse> rawValues,
                        Supplier<Executor> lanes) {
        this.batchSize = batching.size();
        this.lingerMs = batching.linger().toMillis();
        this.scorer = scorer;
        this.rawValues = rawValues;
        this.applicationId = batching.applicationId();
        this.texts = batching.texts();
        this.maxInFlight = Math.max(1, batching.inFlight());
        this.lanes = lanes;
    }

    @Override
    public void init(ProcessorContext<String, Scored> context) {
        this.context = context;
        TimestampedKeyValueStore<Bytes, RolloutResponse> store = context.getStateStore(ScoringTopology.WAITING_STORE);
        this.waiting = new BatchBuffer<>(store, context.currentSystemTimeMs());
        if (!waiting.isEmpty()) {
            LOG.info("Task {}: {} responses restored from the batch store", context.taskId(), waiting.size());
        }
        this.lane = lanes.get();
        this.group = LingerGroup.ofCurrentThread();
        group.join(waiting);
        Duration tick = Duration.ofMillis(Math.max(1, lingerMs / 4));
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::scoreLingeringBatch);
    }

    @Override
    public void process(Record<String, RolloutResponse> record) {
        var problem = ResponseValidator.problem(record.value(), texts);
        if (problem.isPresent()) {
            forwardDeadLetter(record, problem.get());
            return;
        }
        waiting.add(record.key(), record.value(), record.timestamp(), context.currentSystemTimeMs());
        startBatches(batchSize, false);
    }

    /**
     * Waits for this task's batches still being scored, so that nothing scores for a task that is gone, and drops
     * their results: their responses are still in the store, whose changelog the next owner of the partition restores
     * and scores them from.
     */
    @Override
    public void close() {
        dropInFlight();
        if (group != null) {
            group.leave(waiting);
        }
    }

    /**
     * Punctuator: forwards the batches that finished, and starts scoring everything waiting once the oldest response
     * here, or in another task of this stream thread, has waited the linger time. Only a batch that did not fill
     * starts here (full ones start as they fill), so the commits a lingering batch asks for when it is forwarded
     * happen at low load, and never in the steady state of a busy scorer.
     */
    private void scoreLingeringBatch(long now) {
        if (group.due(waiting, now, lingerMs)) {
            startBatches(1, true);
        } else {
            forwardFinished();
        }
    }

    /**
     * Forwards the batches that finished, then starts batches of the unclaimed responses while at least
     * {@code atLeast} wait. With {@code maxInFlight} batches running, a full batch waits for the oldest (holding the
     * stream thread, so that polling stops while the model is behind); a lingering one waits for the next punctuation.
     */
    private void startBatches(int atLeast, boolean lingered) {
        while (forwardFinished() && waiting.unclaimed() >= atLeast) {
            if (inFlight.size() < maxInFlight) {
                start(lingered);
            } else if (!lingered) {
                inFlight.peekFirst().awaitEnd();
            } else {
                return;
            }
        }
    }

    private void start(boolean lingered) {
        List<BatchBuffer.Entry<RolloutResponse>> batch = waiting.claim(batchSize);
        List<PromptResponse> items = new ArrayList<>(batch.size());
        for (var entry : batch) {
            items.add(new PromptResponse(entry.value().getPrompt(), entry.value().getResponse()));
        }
        if (lingered) {
            group.lingeringStarted();
        }
        inFlight.addLast(new InFlight(batch, CompletableFuture.supplyAsync(
                () -> scorer.score(items, ScoringMetrics.STREAM), lane), lingered));
    }

    /**
     * Forwards the rewards of the batches that finished, oldest first, and asks for a commit after one that lingered
     * so that its rewards become visible now rather than at the next commit interval.
     *
     * @return false when a batch found no model in service: every batch in flight is then given up and its responses
     *         wait to be claimed again
     */
    private boolean forwardFinished() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().scores().isDone()) {
            InFlight done = inFlight.peekFirst();
            ScoredBatch scored;
            try {
                scored = done.scores().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof NoModelException noModel) {
                    giveUpInFlight(noModel);
                    return false;
                }
                throw e.getCause() instanceof RuntimeException failure ? failure : e;
            }
            reportedNoModel = false;
            inFlight.pollFirst();
            Instant scoredAt = Instant.ofEpochMilli(context.currentSystemTimeMs());
            for (int i = 0; i < done.batch().size(); i++) {
                var entry = done.batch().get(i);
                ScoredResponse reward = reward(entry.value(), scored, scored.scores().get(i), scoredAt);
                context.forward(new Record<>(entry.key(), new Scored(reward, null), entry.timestamp()));
                waiting.remove(entry);
            }
            if (done.lingered() && group.lingeringEnded()) {
                context.commit();
            }
        }
        return true;
    }

    private void giveUpInFlight(NoModelException e) {
        if (!reportedNoModel) {
            LOG.warn("{} responses wait for a model: {}", waiting.size(), e.getMessage());
            reportedNoModel = true;
        }
        dropInFlight();
        waiting.unclaimAll();
    }

    private void dropInFlight() {
        for (InFlight batch : inFlight) {
            batch.awaitEnd();
            if (batch.lingered()) {
                group.lingeringEnded();
            }
        }
        inFlight.clear();
    }

    private static ScoredResponse reward(RolloutResponse in, ScoredBatch batch, RewardModel.Score score,
                                         Instant scoredAt) {
        return ScoredResponse.newBuilder()
                .setResponseId(in.getResponseId())
                .setPrompt(in.getPrompt())
                .setResponse(in.getResponse())
                .setPolicyVersion(in.getPolicyVersion())
                .setMetadata(in.getMetadata())
                .setCreatedAt(in.getCreatedAt())
                .setReward(score.reward())
                .setRewardNormalized(score.normalized())
                .setModelName(batch.modelName())
                .setModelVersion(batch.modelVersion())
                .setScoredAt(scoredAt)
                .setTruncated(score.truncated())
                .build();
    }

    private void forwardDeadLetter(Record<String, RolloutResponse> record, String reason) {
        RecordMetadata where = context.recordMetadata().orElse(null);
        String topic = where == null ? "" : where.topic();
        byte[] raw = record.value() == null ? null : rawValues.serialize(topic, record.value());
        DeadLetters.Origin origin = new DeadLetters.Origin(topic, where == null ? -1 : where.partition(),
                where == null ? -1 : where.offset(), DeadLetters.utf8(record.key()), raw, record.headers(),
                record.timestamp());
        context.forward(record.withValue(new Scored(null, DeadLetters.of(origin, ResponseValidator.ERROR_CODE, reason,
                DeadLetters.VALIDATE, applicationId, context.currentSystemTimeMs()))));
    }
}
