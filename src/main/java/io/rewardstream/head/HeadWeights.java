package io.rewardstream.head;

import java.util.List;

/**
 * The trained reward head: dense layers applied in order, with {@code hidden} after each layer but the last.
 * The last layer has one output, the raw reward.
 */
public record HeadWeights(List<DenseLayer> layers, Activation hidden) {

    public HeadWeights {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a head needs at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).in() != layers.get(i - 1).out()) {
                throw new IllegalArgumentException("layer " + i + " takes " + layers.get(i).in()
                        + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1).out());
            }
        }
        if (layers.get(layers.size() - 1).out() != 1) {
            throw new IllegalArgumentException("the last layer must have one output, the reward");
        }
    }

    public int inputWidth() {
        return layers.get(0).in();
    }
}
