package io.rewardstream.learning;

import io.rewardstream.data.FeaturePairs;
import java.util.Arrays;

/** Loss and gradient of a mini-batch of preference pairs for one {@link FlatHead}. */
final class PairGradient {

    private final FlatHead head;
    private final TrainingOptions options;
    private final float[] grad;
    private final float[] chosenHidden;
    private final float[] rejectedHidden;
    private final float[] hiddenGrad;

    PairGradient(FlatHead head, TrainingOptions options) {
        this.head = head;
        this.options = options;
        this.grad = new float[head.params.length];
        this.chosenHidden = new float[Math.max(1, head.hidden)];
        this.rejectedHidden = new float[Math.max(1, head.hidden)];
        this.hiddenGrad = new float[Math.max(1, head.hidden)];
    }

    float[] grad() {
        return grad;
    }

    /** Sums the gradient of pairs order[from..to) into {@link #grad()} (cleared first); returns their loss sum. */
    double accumulate(FeaturePairs pairs, int[] order, int from, int to) {
        Arrays.fill(grad, 0f);
        double loss = 0;
        for (int k = from; k < to; k++) {
            int i = order[k];
            float[] c = pairs.chosen()[i];
            float[] r = pairs.rejected()[i];
            float rc = head.forward(c, chosenHidden);
            float rr = head.forward(r, rejectedHidden);
            float m = options.useMargin() ? pairs.marginOf(i) : 0f;
            double d = rc - rr - m;
            loss += softplus(-d);
            float dd = (float) -sigmoid(-d);
            float center = (float) (2 * options.centerCoefficient() * (rc + rr));
            loss += options.centerCoefficient() * (rc + rr) * (rc + rr);
            head.backward(c, chosenHidden, dd + center, grad, hiddenGrad);
            head.backward(r, rejectedHidden, -dd + center, grad, hiddenGrad);
        }
        return loss;
    }

    /** Mean Bradley-Terry loss (with margins when configured, without centering) of the head on all pairs. */
    static double loss(FlatHead head, FeaturePairs pairs, TrainingOptions options) {
        float[] scratch = new float[Math.max(1, head.hidden)];
        double sum = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double d = head.forward(pairs.chosen()[i], scratch) - head.forward(pairs.rejected()[i], scratch)
                    - (options.useMargin() ? pairs.marginOf(i) : 0f);
            sum += softplus(-d);
        }
        return sum / pairs.size();
    }

    static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
