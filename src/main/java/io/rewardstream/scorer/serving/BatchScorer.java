package io.rewardstream.scorer.serving;

import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import java.time.Duration;
import java.util.List;

/**
 * Scores one batch with one model: takes a single lease on the model in service for the whole batch, so every
 * score in it carries the same version, and records the batch in the metrics. Thread-safe.
 */
public final class BatchScorer {

    private final ModelHolder holder;
    private final ScoringMetrics metrics;

    public BatchScorer(ModelHolder holder, ScoringMetrics metrics) {
        this.holder = holder;
        this.metrics = metrics;
    }

    public ModelHolder holder() {
        return holder;
    }

    public ScoringMetrics metrics() {
        return metrics;
    }

    /**
     * Scores {@code items} (sorted by length and padded per encoder sub-batch inside the model).
     *
     * @throws NoModelException before the first model is in service
     */
    public ScoredBatch score(List<PromptResponse> items, String path) {
        try (ModelLease lease = holder.lease().orElseThrow(() -> new NoModelException(
                holder.notReadyReason().orElse(ModelHolder.NO_MODEL)))) {
            ScoringModel model = lease.model();
            long start = System.nanoTime();
            List<RewardModel.Score> scores = items.isEmpty() ? List.of() : model.score(items);
            if (scores.size() != items.size()) {
                throw new IllegalStateException("model " + model.name() + " version " + model.version()
                        + " returned " + scores.size() + " scores for " + items.size() + " items");
            }
            metrics.batch(path, items.size(), Duration.ofNanos(System.nanoTime() - start));
            metrics.rewards(model.version(), scores);
            return new ScoredBatch(model.name(), model.version(), scores);
        }
    }
}
