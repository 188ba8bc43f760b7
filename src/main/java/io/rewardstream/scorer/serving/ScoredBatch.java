package io.rewardstream.scorer.serving;

import io.rewardstream.model.RewardModel;
import java.util.List;

/** The scores of one batch and the one model version that made them all. */
public record ScoredBatch(String modelName, long modelVersion, List<RewardModel.Score> scores) {
}
