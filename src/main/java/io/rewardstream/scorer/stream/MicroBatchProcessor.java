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
import java.util.ArrayList;
import java.util.List;
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
 */
final class MicroBatchProcessor implements Processor<String, RolloutResponse, String, Scored> {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

    private final int batchSize;
    private final long lingerMs;
    private final BatchScorer scorer;
    private final Serializer<RolloutResponse> rawValues;
    private final String applicationId;
    private final TextRules texts;

    private ProcessorContext<String, Scored> context;
    private BatchBuffer<RolloutResponse> waiting;
    private LingerGroup group;
    private boolean reportedNoModel;

    MicroBatchProcessor(Batching batching, BatchScorer scorer, Serializer<RolloutResponse> rawValues) {
        this.batchSize = batching.size();
        this.lingerMs = batching.linger().toMillis();
        this.scorer = scorer;
        this.rawValues = rawValues;
        this.applicationId = batching.applicationId();
        this.texts = batching.texts();
    }

    @Override
    public void init(ProcessorContext<String, Scored> context) {
        this.context = context;
        TimestampedKeyValueStore<Bytes, RolloutResponse> store = context.getStateStore(ScoringTopology.WAITING_STORE);
        this.waiting = new BatchBuffer<>(store, context.currentSystemTimeMs());
        if (!waiting.isEmpty()) {
            LOG.info("Task {}: {} responses restored from the batch store", context.taskId(), waiting.size());
        }
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
        while (waiting.size() >= batchSize && scoreOldestBatch()) {
            // each pass scores one full batch
        }
    }

    @Override
    public void close() {
        if (group != null) {
            group.leave(waiting);
        }
    }

    /**
     * Punctuator: scores everything waiting once the oldest response here, or in another task of this stream thread,
     * has waited the linger time, then asks for a commit so that these rewards become visible now rather than at the
     * next commit interval. Only a batch that did not fill gets here (full ones are scored as they fill), so the
     * extra commits happen at low load, and never in the steady state of a busy scorer.
     */
    private void scoreLingeringBatch(long now) {
        if (group.due(waiting, now, lingerMs) && !waiting.isEmpty()) {
            boolean scored = false;
            while (!waiting.isEmpty() && scoreOldestBatch()) {
                scored = true;
            }
            if (scored) {
                context.commit();
            }
        }
    }

    /** Scores up to one batch of the oldest waiting responses; false when no model is in service yet. */
    private boolean scoreOldestBatch() {
        List<BatchBuffer.Entry<RolloutResponse>> batch = waiting.oldest(batchSize);
        List<PromptResponse> items = new ArrayList<>(batch.size());
        for (var entry : batch) {
            items.add(new PromptResponse(entry.value().getPrompt(), entry.value().getResponse()));
        }
        ScoredBatch scored;
        try {
            scored = scorer.score(items, ScoringMetrics.STREAM);
            reportedNoModel = false;
        } catch (NoModelException e) {
            if (!reportedNoModel) {
                LOG.warn("{} responses wait for a model: {}", waiting.size(), e.getMessage());
                reportedNoModel = true;
            }
            return false;
        }
        Instant scoredAt = Instant.ofEpochMilli(context.currentSystemTimeMs());
        for (int i = 0; i < batch.size(); i++) {
            var entry = batch.get(i);
            ScoredResponse reward = reward(entry.value(), scored, scored.scores().get(i), scoredAt);
            context.forward(new Record<>(entry.key(), new Scored(reward, null), entry.timestamp()));
            waiting.remove(entry);
        }
        return true;
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
