package io.rewardstream.trainer.retrain;

/** The texts of one training pair, kept beside its features so that the encoder itself can be trained on them. */
public record PairTexts(String prompt, String chosen, String rejected) {
}
