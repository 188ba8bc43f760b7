package io.rewardstream.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.Map;

/** Runs a serialised model once in ONNX Runtime, closing every native object it creates. */
final class OrtRunner {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtRunner() {
    }

    /** Runs the model and returns the named output's Java array (float[][] or float[][][]). */
    static Object run(byte[] model, Map<String, ?> inputs, String output) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = ENV.createSession(model, options)) {
            return run(session, inputs, output);
        }
    }

    private static Object run(OrtSession session, Map<String, ?> inputs, String output) throws OrtException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (Map.Entry<String, ?> input : inputs.entrySet()) {
                tensors.put(input.getKey(), OnnxTensor.createTensor(ENV, input.getValue()));
            }
            try (OrtSession.Result result = session.run(tensors)) {
                return result.get(output).orElseThrow().getValue();
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    static float[] column(Object output) {
        float[][] matrix = (float[][]) output;
        float[] column = new float[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            column[i] = matrix[i][0];
        }
        return column;
    }
}
