package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.runtime.Device;
import org.junit.jupiter.api.Test;

class TorchDeviceTest {

    @Test
    void shouldTakeTheFirstGpuOnAutoWhenPyTorchSeesOneAndTheCpuOtherwise() {
        assertThat(TorchDevice.select(Device.AUTO, 2)).isEqualTo(ai.djl.Device.gpu(0));
        assertThat(TorchDevice.select(Device.AUTO, 0)).isEqualTo(ai.djl.Device.cpu());
    }

    @Test
    void shouldKeepToTheCpuWhenAskedEvenWithGpus() {
        assertThat(TorchDevice.select(Device.CPU, 4)).isEqualTo(ai.djl.Device.cpu());
    }

    @Test
    void shouldTakeTheNamedGpuOrFailSayingWhatToDo() {
        assertThat(TorchDevice.select(Device.cuda(1), 2)).isEqualTo(ai.djl.Device.gpu(1));
        assertThatThrownBy(() -> TorchDevice.select(Device.cuda(1), 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("training.device=cuda:1").hasMessageContaining("sees 1 CUDA device")
                .hasMessageContaining("-Pcuda");
    }

    @Test
    void shouldTrainOnTheCpuOfThisBuildWhenAutoIsAsked() {
        PyTorchRuntime.useDevice(Device.AUTO);
        try (var manager = PyTorchRuntime.newManager(1)) {
            assertThat(manager.getDevice()).isEqualTo(ai.djl.Device.cpu());
        }
    }
}
