package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;

/**
 * The pairwise loss: the mean over pairs of -log sigmoid(r_chosen - r_rejected - margin), plus an optional
 * centering term {@code c * mean((r_chosen + r_rejected)^2)} that keeps rewards near zero.
 */
final class BradleyTerryLoss {

    private BradleyTerryLoss() {
    }

    /**
     * @param chosen   [pairs] rewards of the preferred responses
     * @param rejected [pairs] rewards of the other responses
     * @param margins  [pairs] margins (0 where a pair has none)
     * @return the scalar loss
     */
    static NDArray of(NDArray chosen, NDArray rejected, NDArray margins, float centering) {
        NDArray gap = chosen.sub(rejected).sub(margins);
        NDArray loss = softplus(gap.neg()).mean();
        return centering == 0f ? loss : loss.add(chosen.add(rejected).square().mean().mul(centering));
    }

    /** log(1 + exp(z)) without overflow: max(z, 0) + log(1 + exp(-|z|)). */
    private static NDArray softplus(NDArray z) {
        return z.maximum(0f).add(z.abs().neg().exp().add(1f).log());
    }
}
