package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter) on NDArrays, each parameter with its own learning rate
 * and decay, with optional clipping of the global gradient norm. The decay pulls a parameter toward zero, or
 * toward an anchor (its pre-trained value, as L2-SP does) when one is given. Updates the parameters in place and
 * then clears their gradients (which it overwrites on the way); call {@link #step} after the gradient collector is
 * closed. Its state (step count and moments) can be read out and put back to resume a run.
 */
final class AdamW implements AutoCloseable {

    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final NDManager state;
    private final List<Slot> slots = new ArrayList<>();
    private int steps;

    /** @param parent the manager under which the moment estimates are kept */
    AdamW(NDManager parent) {
        this.state = parent.newSubManager();
    }

    /** Adds a parameter (with gradients attached) to the ones {@link #step} updates; its moments outlive any scope. */
    void add(NDArray param, float learningRate, float weightDecay) {
        add(param, learningRate, weightDecay, false);
    }

    /**
     * As {@link #add(NDArray, float, float)}; with {@code decayToCurrent} the decay pulls toward the parameter's
     * value now (a copy is kept) instead of toward zero.
     */
    void add(NDArray param, float learningRate, float weightDecay, boolean decayToCurrent) {
        NDArray m = state.zeros(param.getShape());
        NDArray v = state.zeros(param.getShape());
        NDArray anchor = decayToCurrent && weightDecay > 0f ? param.duplicate() : null;
        if (anchor != null) {
            anchor.attach(state);
            NDScope.unregister(anchor);
        }
        NDScope.unregister(m, v);
        slots.add(new Slot(param, m, v, anchor, learningRate, weightDecay));
    }

    /** {@link #step(float, float)} at the full learning rates. */
    float step(float maxGradNorm) {
        return step(maxGradNorm, 1f);
    }

    /**
     * Updates every parameter from its gradient. The caller runs this inside an NDScope that frees temporaries.
     *
     * @param maxGradNorm clip the global L2 norm of all gradients to this (0: no clipping)
     * @param rateFactor  multiplies every learning rate for this step (a schedule)
     * @return the global gradient norm before clipping
     */
    float step(float maxGradNorm, float rateFactor) {
        steps++;
        List<NDArray> grads = slots.stream().map(s -> s.param.getGradient()).toList();
        float norm = globalNorm(grads);
        float scale = maxGradNorm > 0f && norm > maxGradNorm ? maxGradNorm / norm : 1f;
        float correction1 = 1f - (float) Math.pow(BETA1, steps);
        float correction2 = 1f - (float) Math.pow(BETA2, steps);
        for (int i = 0; i < slots.size(); i++) {
            NDArray grad = grads.get(i);
            if (scale != 1f) {
                grad.muli(scale);
            }
            slots.get(i).update(grad, correction1, correction2, rateFactor);
            JniUtils.zeroGrad((PtNDArray) slots.get(i).param);
        }
        return norm;
    }

    private static float globalNorm(List<NDArray> grads) {
        double squares = 0;
        for (NDArray g : grads) {
            double n = g.norm().getFloat();
            squares += n * n;
        }
        return (float) Math.sqrt(squares);
    }

    int steps() {
        return steps;
    }

    /** Per parameter, in the order added: its first and second moments, copied out. */
    List<float[][]> moments() {
        return slots.stream().map(s -> new float[][] {s.m.toFloatArray(), s.v.toFloatArray()}).toList();
    }

    /** Puts back a step count and the moments {@link #moments} gave. */
    void restore(int stepCount, List<float[][]> moments) {
        if (moments.size() != slots.size()) {
            throw new IllegalArgumentException("moments of " + moments.size() + " parameters for " + slots.size());
        }
        steps = stepCount;
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).m.set(moments.get(i)[0]);
            slots.get(i).v.set(moments.get(i)[1]);
        }
    }

    @Override
    public void close() {
        state.close();
    }

    /** One parameter with its first and second moment estimates and, optionally, the value it decays toward. */
    private record Slot(NDArray param, NDArray m, NDArray v, NDArray anchor, float learningRate, float weightDecay) {

        /** Updates in place with as few full-size temporaries as the NDArray API allows; overwrites grad. */
        void update(NDArray grad, float correction1, float correction2, float rateFactor) {
            float rate = learningRate * rateFactor;
            v.muli(BETA2).addi(grad.square().muli(1f - BETA2));
            m.muli(BETA1).addi(grad.muli(1f - BETA1));
            if (weightDecay > 0f) {
                param.muli(1f - rate * weightDecay);
                if (anchor != null) {
                    param.addi(anchor.mul(rate * weightDecay));
                }
            }
            NDArray denominator = v.sqrt().divi((float) Math.sqrt(correction2)).addi(EPSILON);
            param.subi(m.div(denominator).muli(rate / correction1));
        }
    }
}
