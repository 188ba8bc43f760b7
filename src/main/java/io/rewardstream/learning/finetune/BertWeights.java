package io.rewardstream.learning.finetune;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of every parameter of a BERT encoder, by Hugging Face name ({@link BertShape#parameterCount()} floats
 * in all), weight matrices laid out [in, out]. The arrays are shared, not copied: do not change them.
 */
public final class BertWeights {

    private final BertShape shape;
    private final Map<String, float[]> values;

    private BertWeights(BertShape shape, Map<String, float[]> values) {
        this.shape = shape;
        this.values = values;
    }

    /**
     * @throws IllegalArgumentException when a parameter of {@code shape} is missing or has the wrong size
     */
    public static BertWeights of(BertShape shape, Map<String, float[]> values) {
        Map<String, float[]> ordered = new LinkedHashMap<>();
        for (String name : BertNames.all(shape.layers())) {
            float[] v = values.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no values for parameter " + name);
            }
            long expected = Arrays.stream(shape.dimsOf(name)).reduce(1, (a, b) -> a * b);
            if (v.length != expected) {
                throw new IllegalArgumentException("parameter " + name + " needs " + expected + " values "
                        + Arrays.toString(shape.dimsOf(name)) + ", got " + v.length);
            }
            ordered.put(name, v);
        }
        if (values.size() != ordered.size()) {
            throw new IllegalArgumentException("unknown parameters " + values.keySet().stream()
                    .filter(n -> !ordered.containsKey(n)).sorted().toList());
        }
        return new BertWeights(shape, Collections.unmodifiableMap(ordered));
    }

    public BertShape shape() {
        return shape;
    }

    /** Parameter names in a fixed order: embeddings, then each layer. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** @throws IllegalArgumentException for a name that is not a parameter */
    public float[] get(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }
}
