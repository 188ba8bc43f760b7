package io.rewardstream.learning;

/** Adam with decoupled weight decay (Loshchilov and Hutter) over a {@link FlatHead}'s parameters. */
final class AdamW {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final FlatHead head;
    private final double learningRate;
    private final double weightDecay;
    private final float[] m;
    private final float[] v;
    private int t;

    AdamW(FlatHead head, double learningRate, double weightDecay) {
        this.head = head;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.m = new float[head.params.length];
        this.v = new float[head.params.length];
    }

    /** One step on the summed gradient of {@code count} pairs (averaged here). */
    void step(float[] gradSum, int count) {
        t++;
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        float[] p = head.params;
        for (int k = 0; k < p.length; k++) {
            float g = gradSum[k] / count;
            m[k] = (float) (BETA1 * m[k] + (1 - BETA1) * g);
            v[k] = (float) (BETA2 * v[k] + (1 - BETA2) * g * g);
            double update = (m[k] / correction1) / (Math.sqrt(v[k] / correction2) + EPSILON);
            if (head.isWeight(k)) {
                update += weightDecay * p[k];
            }
            p[k] -= (float) (learningRate * update);
        }
    }
}
