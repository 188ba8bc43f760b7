package io.rewardstream.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The JVM's one ONNX Runtime environment and the session options every RewardStream session uses.
 *
 * <p>ONNX Runtime 1.29 needs more native stack than a JVM thread has by default (1 MB) while it creates the
 * environment and sessions: on this project's machines the JVM dies with SIGSEGV (a stack guard-page hit, no
 * hs_err file) when {@code OrtEnvironment.getEnvironment()} runs on an ordinary thread. Both steps therefore run
 * on a short-lived thread with a 64 MB stack. Running a session afterwards works from any thread.
 */
public final class OrtRuntime {

    private static final long NATIVE_STACK_BYTES = 64L << 20;
    private static final DevicePlacement PLACEMENT = new DevicePlacement(DevicePlacement.ORT_CUDA);
    private static volatile OrtEnvironment environment;

    private OrtRuntime() {
    }

    public static OrtEnvironment environment() {
        OrtEnvironment env = environment;
        if (env == null) {
            synchronized (OrtRuntime.class) {
                if (environment == null) {
                    try {
                        environment = onLargeStack(OrtEnvironment::getEnvironment);
                    } catch (OrtException e) {
                        throw new IllegalStateException("ONNX Runtime cannot start: " + e.getMessage(), e);
                    }
                }
                env = environment;
            }
        }
        return env;
    }

    /** Opens a CPU session on a graph held in memory, with {@code threads} intra-op threads (0: runtime default). */
    public static OrtSession cpuSession(byte[] onnx, int threads) throws OrtException {
        return session(onnx, threads, Device.CPU);
    }

    /**
     * Opens a session on a graph held in memory on {@code device}: CUDA first for auto and cuda:N, CPU for cpu.
     * With auto and CUDA unusable it warns once and returns a CPU session; with cuda:N it throws an
     * {@link IllegalStateException} that says why and what to do.
     */
    public static OrtSession session(byte[] onnx, int threads, Device device) throws OrtException {
        OrtEnvironment env = environment();
        return onLargeStack(() -> PLACEMENT.open(device, threads, options -> env.createSession(onnx, options)));
    }

    /**
     * As {@link #session(byte[], int, Device)}, with a graph of its own for a CUDA session and for a CPU session
     * (e.g. an int8 rewrite for the CPU's integer units); each is asked for only when that session is opened.
     */
    public static OrtSession session(Supplier<byte[]> cudaGraph, Supplier<byte[]> cpuGraph, int threads,
                                     Device device) throws OrtException {
        OrtEnvironment env = environment();
        return onLargeStack(() -> PLACEMENT.open(device, threads,
                options -> env.createSession(cudaGraph.get(), options),
                options -> env.createSession(cpuGraph.get(), options)));
    }

    /**
     * Where the last session opened for {@code auto} or {@code cuda:N} actually runs: {@code cuda:N}, or {@code cpu}
     * when CUDA was not usable; empty when no session asked for CUDA yet.
     */
    public static java.util.Optional<String> cudaOutcome() {
        return java.util.Optional.ofNullable(PLACEMENT.lastCudaOutcome());
    }

    /** Work that may throw an {@link OrtException}. */
    @FunctionalInterface
    public interface OrtCall<T> {
        T call() throws OrtException;
    }

    /** Runs {@code call} on a thread with a large native stack and returns its result. */
    public static <T> T onLargeStack(OrtCall<T> call) throws OrtException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(null, () -> {
            try {
                result.set(call.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "onnxruntime-init", NATIVE_STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ONNX Runtime was initialising", e);
        }
        Throwable t = failure.get();
        if (t instanceof OrtException o) {
            throw o;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
