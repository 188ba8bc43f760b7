package io.rewardstream.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.rewardstream.runtime.OrtRuntime;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/** The ONNX input tensors of one padded batch (input_ids, attention_mask[, token_type_ids]); close to free them. */
public final class InputTensors implements AutoCloseable {

    private final Map<String, OnnxTensor> tensors;

    private InputTensors(Map<String, OnnxTensor> tensors) {
        this.tensors = tensors;
    }

    /** @param tokenTypes whether the encoder reads token_type_ids */
    public static InputTensors of(PaddedBatch padded, boolean tokenTypes) {
        return of(padded, tokenTypes, "");
    }

    /** As {@link #of(PaddedBatch, boolean)}, each input's name prefixed with {@code prefix}. */
    public static InputTensors of(PaddedBatch padded, boolean tokenTypes, String prefix) {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(prefix + "input_ids", tensor(padded.ids(), padded.shape()));
            inputs.put(prefix + "attention_mask", tensor(padded.mask(), padded.shape()));
            if (tokenTypes) {
                inputs.put(prefix + "token_type_ids", tensor(padded.typeIds(), padded.shape()));
            }
            return new InputTensors(inputs);
        } catch (OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("cannot build the encoder's input tensors: " + e.getMessage(), e);
        }
    }

    private static OnnxTensor tensor(long[] values, long[] shape) throws OrtException {
        return OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(values), shape);
    }

    public Map<String, OnnxTensor> map() {
        return tensors;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
    }
}
