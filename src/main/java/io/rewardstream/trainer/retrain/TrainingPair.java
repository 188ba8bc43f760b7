package io.rewardstream.trainer.retrain;

/**
 * One ordered pair with its cached features, as kept in the training store.
 *
 * @param pairId         event id and pair number
 * @param judgmentKey    hash of (prompt, both responses) regardless of order, to find conflicting judgments
 * @param chosenFirst    whether the chosen response sorts before the rejected one (the judgment's direction)
 * @param strength       preference strength, NaN when none was given
 * @param heldOut        chosen by hashing the event id: evaluated on, never trained on
 * @param texts          the prompt and both responses, or null for a pair stored before texts were kept
 */
public record TrainingPair(String pairId, String judgmentKey, boolean chosenFirst, float[] chosen, float[] rejected,
                           float strength, int chosenLength, int rejectedLength, boolean heldOut, PairTexts texts) {
}
