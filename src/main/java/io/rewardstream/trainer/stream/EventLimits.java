package io.rewardstream.trainer.stream;

import io.rewardstream.model.TextRules;

/**
 * What one preference event may hold before the trainer takes it: its texts ({@link TextRules}), and at most
 * {@code maxPairs} ordered pairs from its ranking (a full ranking of K responses expands into K(K-1)/2 pairs; a
 * thousand responses would make half a million).
 *
 * @param maxPairsKey the configuration key of {@code maxPairs}, named when an event has too many
 */
public record EventLimits(TextRules texts, int maxPairs, String maxPairsKey) {
}
