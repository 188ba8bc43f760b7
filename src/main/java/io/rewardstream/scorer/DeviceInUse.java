package io.rewardstream.scorer;

import io.rewardstream.runtime.Device;
import io.rewardstream.runtime.OrtRuntime;

/** Where the models of an instance actually run, for the status page and /v1/models. */
final class DeviceInUse {

    private DeviceInUse() {
    }

    /** {@code cpu}, {@code cuda:N}, or why it is not known yet, for the {@code asked} setting (scoring.device). */
    static String describe(Device asked) {
        if (asked.kind() == Device.Kind.CPU) {
            return "cpu";
        }
        return OrtRuntime.cudaOutcome().map(where -> where.equals("cpu")
                ? "cpu (scoring.device=" + asked + ", CUDA not usable)" : where)
                .orElse("not known yet (scoring.device=" + asked + ")");
    }
}
