package io.rewardstream.evaluation;

/**
 * How well rewards order preference pairs.
 *
 * @param pairs              pairs evaluated
 * @param accuracy           share of pairs with r_w > r_l, ties counted half
 * @param logLoss            mean Bradley-Terry loss -log sigmoid(r_w - r_l)
 * @param ece                expected calibration error of sigmoid((r_w - r_l) / T), 10 equal-width confidence bins
 * @param temperature        T used for the calibrated probabilities
 * @param lengthCorrelation  Spearman correlation of reward with response length in characters, over all responses
 * @param marginCorrelation  Pearson correlation of r_w - r_l with the given margins (NaN when none were given)
 * @param rewardMean         mean reward over all responses
 * @param rewardStd          standard deviation of the reward over all responses
 * @param meanGap            mean r_w - r_l
 */
public record PairwiseMetrics(int pairs, double accuracy, double logLoss, double ece, double temperature,
                              double lengthCorrelation, double marginCorrelation, double rewardMean,
                              double rewardStd, double meanGap) {
}
