package io.rewardstream.learning.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A BERT encoder's parameters as NDArrays with gradients attached, owned by one NDManager. */
final class BertParameters {

    private final BertShape shape;
    private final Map<String, NDArray> arrays;

    private BertParameters(BertShape shape, Map<String, NDArray> arrays) {
        this.shape = shape;
        this.arrays = arrays;
    }

    /** Copies {@code weights} into new arrays of {@code manager}, each recording gradients, outside any NDScope. */
    static BertParameters of(BertWeights weights, NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (String name : weights.names()) {
            NDArray array = manager.create(weights.get(name), new Shape(weights.shape().dimsOf(name)));
            array.setName(name);
            array.setRequiresGradient(true);
            NDScope.unregister(array);
            arrays.put(name, array);
        }
        return new BertParameters(weights.shape(), Collections.unmodifiableMap(arrays));
    }

    BertShape shape() {
        return shape;
    }

    /** @throws IllegalArgumentException for a name that is not a parameter */
    NDArray get(String name) {
        NDArray array = arrays.get(name);
        if (array == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return array;
    }

    List<String> names() {
        return List.copyOf(arrays.keySet());
    }

    /** The arrays by name, in {@link BertNames#all} order. */
    Map<String, NDArray> arrays() {
        return arrays;
    }

    /** The current values, copied out of native memory. */
    BertWeights toWeights() {
        Map<String, float[]> values = new LinkedHashMap<>();
        arrays.forEach((name, array) -> values.put(name, array.toFloatArray()));
        return BertWeights.of(shape, values);
    }
}
