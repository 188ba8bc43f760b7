package io.rewardstream.scorer;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.runtime.Device;
import io.rewardstream.runtime.OrtRuntime;
import java.util.List;

/**
 * Checks at start-up, before any model exists, that the configured device can run a session: cuda:N that
 * cannot fails the start here, and auto reports its CPU fallback once, at start rather than at the first model.
 */
final class DeviceCheck {

    private DeviceCheck() {
    }

    static void check(Device device) {
        if (device.kind() == Device.Kind.CPU) {
            return;
        }
        byte[] probe = HeadOnnx.write(new HeadWeights(List.of(new DenseLayer(1, 1, new float[] {1f},
                new float[] {0f})), Activation.NONE), 1);
        try (OrtSession session = OrtRuntime.session(probe, 1, device)) {
            session.getInputNames();
        } catch (OrtException e) {
            throw new IllegalStateException("scoring.device=" + device + ": ONNX Runtime cannot open a session: "
                    + e.getMessage(), e);
        }
    }
}
