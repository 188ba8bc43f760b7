package io.rewardstream.runtime;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a session on the device asked for. CUDA is tried through the CUDA execution provider; when that fails
 * (a CPU-only onnxruntime build, no driver, no cuDNN), {@code auto} warns once per placement and opens a CPU
 * session, while {@code cuda:N} fails with a message that says what to do.
 */
final class DevicePlacement {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePlacement.class);

    /** Opens a session with options prepared by the caller; the seam tests replace. */
    @FunctionalInterface
    interface SessionOpener {
        OrtSession open(OrtSession.SessionOptions options) throws OrtException;
    }

    /** Adds the CUDA execution provider for one device to the options. */
    @FunctionalInterface
    interface CudaProvider {
        void add(OrtSession.SessionOptions options, int deviceId) throws OrtException;
    }

    static final CudaProvider ORT_CUDA = OrtSession.SessionOptions::addCUDA;

    private final CudaProvider cuda;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile String lastCudaOutcome;

    DevicePlacement(CudaProvider cuda) {
        this.cuda = cuda;
    }

    /** True once a CPU fallback has been reported. */
    boolean warned() {
        return warned.get();
    }

    /** Where the last session that asked for CUDA runs: {@code cuda:N}, or {@code cpu} after a fall-back; null before. */
    String lastCudaOutcome() {
        return lastCudaOutcome;
    }

    OrtSession open(Device device, int threads, SessionOpener opener) throws OrtException {
        return open(device, threads, opener, opener);
    }

    /** As {@link #open(Device, int, SessionOpener)}, with one opener for a CUDA session and one for a CPU session. */
    OrtSession open(Device device, int threads, SessionOpener cudaOpener, SessionOpener cpuOpener)
            throws OrtException {
        if (device.wantsCuda()) {
            try (OrtSession.SessionOptions options = baseOptions(threads)) {
                cuda.add(options, device.index());
                OrtSession session = cudaOpener.open(options);
                LOG.info("ONNX Runtime session on CUDA device {}", device.index());
                lastCudaOutcome = "cuda:" + device.index();
                return session;
            } catch (OrtException | RuntimeException | LinkageError e) {
                if (device.kind() == Device.Kind.CUDA) {
                    throw new IllegalStateException("scoring.device=" + device + " but CUDA device " + device.index()
                            + " is not usable: " + e.getMessage() + ". Build with `mvn -Pcuda package` on a host with"
                            + " CUDA 12 and cuDNN 9, or set scoring.device to auto or cpu.", e);
                }
                if (warned.compareAndSet(false, true)) {
                    LOG.warn("scoring.device=auto: CUDA is not usable ({}); running on CPU", e.getMessage());
                }
                lastCudaOutcome = "cpu";
            }
        }
        try (OrtSession.SessionOptions options = baseOptions(threads)) {
            return cpuOpener.open(options);
        }
    }

    static OrtSession.SessionOptions baseOptions(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        options.setInterOpNumThreads(1);
        if (!Boolean.getBoolean("rs.spin")) {
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        return options;
    }
}
