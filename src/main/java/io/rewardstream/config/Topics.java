package io.rewardstream.config;

import java.util.List;

/**
 * The topics RewardStream reads and writes (defaults from the design brief; every name configurable).
 *
 * @param preferences annotation systems' PreferenceEvents
 * @param responses   rollout workers' RolloutResponses
 * @param rewards     the scorer's ScoredResponses
 * @param models      the trainer's ModelReleases (compacted, keyed by model name)
 * @param metrics     AccuracyReports, DriftAlerts, ScoreStatistics, ReleaseRejected
 * @param deadLetters DeadLetters from every stage
 * @param artifacts   ArtifactChunks of files too large for one record: trained encoders (compacted)
 */
public record Topics(String preferences, String responses, String rewards, String models, String metrics,
                     String deadLetters, String artifacts) {

    public static Topics defaults() {
        return new Topics("rlhf.preferences", "rlhf.responses", "rlhf.rewards", "rlhf.reward-models",
                "rlhf.reward-metrics", "rlhf.dead-letters", "rlhf.reward-model-artifacts");
    }

    public Topics {
        for (String name : new String[] {preferences, responses, rewards, models, metrics, deadLetters, artifacts}) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
    }

    public List<String> all() {
        return List.of(preferences, responses, rewards, models, metrics, deadLetters, artifacts);
    }
}
