package io.rewardstream.head;

/** Non-linearity applied after every hidden layer of the reward head (never after the output layer). */
public enum Activation {
    /** Identity: a head with one layer is linear whatever this says. */
    NONE,
    RELU,
    TANH;

    public float apply(float v) {
        return switch (this) {
            case NONE -> v;
            case RELU -> Math.max(0f, v);
            case TANH -> (float) Math.tanh(v);
        };
    }
}
