package io.rewardstream.learning.finetune;

import io.rewardstream.runtime.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where PyTorch trains, chosen the way the scorer chooses for ONNX Runtime: {@code auto} takes CUDA device 0 when
 * PyTorch sees one and otherwise falls back to the CPU with one warning; {@code cuda:N} without that device fails
 * with what to do; {@code cpu} is the CPU.
 */
final class TorchDevice {

    private static final Logger LOG = LoggerFactory.getLogger(TorchDevice.class);

    private TorchDevice() {
    }

    /**
     * @param gpus the CUDA devices PyTorch sees (0 with the CPU build of libtorch)
     * @throws IllegalStateException when {@code wanted} is cuda:N and PyTorch has no device N
     */
    static ai.djl.Device select(Device wanted, int gpus) {
        return switch (wanted.kind()) {
            case CPU -> ai.djl.Device.cpu();
            case AUTO -> {
                if (gpus > 0) {
                    yield ai.djl.Device.gpu(0);
                }
                LOG.warn("training.device=auto: PyTorch sees no CUDA device; training on the CPU");
                yield ai.djl.Device.cpu();
            }
            case CUDA -> {
                if (wanted.index() < gpus) {
                    yield ai.djl.Device.gpu(wanted.index());
                }
                throw new IllegalStateException("training.device=" + wanted + " but PyTorch sees " + gpus
                        + " CUDA device(s). Build with `mvn -Pcuda package` (libtorch for CUDA 12.4) on a host with"
                        + " an NVIDIA driver for CUDA 12, or set the device to auto or cpu.");
            }
        };
    }
}
