package io.rewardstream.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop, instead of the JVM's own handling. The JVM answers these signals
 * by running every shutdown hook at once, and ONNX Runtime registers a hook that frees its environment: a stream
 * thread still inside a session then crashes the JVM (SIGSEGV in libonnxruntime.so). With these handlers installed,
 * a signal only tells the command to stop; the command closes what it runs in order (stop taking work, drain, close
 * the Kafka Streams clients, then the sessions) and returns, and {@code Main} exits with its exit code, so that the
 * shutdown hooks run when no session is in use any more.
 *
 * <p>A second signal while the command is stopping ends the process at once, with exit code 128 + the signal's
 * number and without shutdown hooks: the way out of a stop that hangs.
 */
final class StopSignals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Consumer<String> onStop;

    private StopSignals(Consumer<String> onStop) {
        this.onStop = onStop;
    }

    /**
     * Handles SIGTERM and SIGINT until closed.
     *
     * @param onStop told the signal's name ("SIGTERM") the first time one arrives; it must return promptly (set a
     *               flag, count down a latch) and leave the stopping to the command's own thread
     */
    static StopSignals install(Consumer<String> onStop) {
        StopSignals installed = new StopSignals(onStop);
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                installed.previous.put(signal, Signal.handle(signal, installed::handle));
            } catch (IllegalArgumentException e) {
                // The JVM keeps this signal to itself (-Xrs, or a platform without it): its default handling stays.
                LOG.debug("Cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
        return installed;
    }

    private void handle(Signal signal) {
        String name = "SIG" + signal.getName();
        if (stopping.compareAndSet(false, true)) {
            LOG.info("{} received: stopping (stop taking work, drain, then close); a second signal ends the process"
                    + " at once", name);
            onStop.accept(name);
        } else {
            LOG.warn("{} received again while stopping: ending the process now", name);
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    /** Whether a signal has asked to stop. */
    boolean received() {
        return stopping.get();
    }

    /** Gives the signals back to the handlers they had before. */
    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Signal.handle(signal, handler);
            } catch (IllegalArgumentException e) {
                LOG.debug("Cannot restore the handler of SIG{}: {}", signal.getName(), e.getMessage());
            }
        });
    }
}
