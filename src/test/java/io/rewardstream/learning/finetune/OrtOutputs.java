package io.rewardstream.learning.finetune;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.runtime.OrtRuntime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs an encoder graph once in ONNX Runtime on padded token sequences and returns one output. */
final class OrtOutputs {

    private OrtOutputs() {
    }

    static float[][][] hiddenStates(byte[] onnx, List<TokenSequence> sequences, BertShape shape, String output)
            throws OrtException {
        TokenBatch batch = TokenBatch.of(sequences, shape);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OrtSession session = OrtRuntime.cpuSession(onnx, 1)) {
            var env = OrtRuntime.environment();
            inputs.put("input_ids", OnnxTensor.createTensor(env, batch.ids()));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, batch.mask()));
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, batch.types()));
            try (OrtSession.Result result = session.run(inputs)) {
                return (float[][][]) result.get(output).orElseThrow().getValue();
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    static float maxDifference(float[][][] a, float[][][] b) {
        float max = 0f;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, maxDifference(a[i], b[i]));
        }
        return max;
    }

    static float maxDifference(float[][] a, float[][] b) {
        float max = 0f;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
