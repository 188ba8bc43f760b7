package io.rewardstream.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.rewardstream.runtime.OrtRuntime;
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
        var env = OrtRuntime.environment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, padded.ids()));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, padded.mask()));
            if (tokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, padded.typeIds()));
            }
            return new InputTensors(inputs);
        } catch (OrtException e) {
            inputs.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("cannot build the encoder's input tensors: " + e.getMessage(), e);
        }
    }

    public Map<String, OnnxTensor> map() {
        return tensors;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
    }
}
