package io.rewardstream.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.lang.management.ManagementFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rewardstream.status.StatusBoard;

/**
 * The meters and the status board of one process: a Prometheus registry with the JVM's and the process's own meters (memory, garbage
 * collection, threads, classes, CPU, uptime, open files) and {@code rewardstream_build_info{version=...} 1}. Both
 * roles register theirs here, so {@code run --role all} and the demo expose one {@code /metrics} for the whole
 * system.
 */
public final class Telemetry implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final StatusBoard board;

    /** Meters and a status page titled {@code title}, sampled from now on. */
    public Telemetry(String title) {
        this.board = new StatusBoard(title).start();
        registry.config().meterFilter(PrometheusNames.FILTER);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the process").register(registry);
        }
        Gauge.builder("rewardstream.build.info", () -> 1)
                .description("The running RewardStream build; the value is always 1")
                .tag("version", version()).tag("java_version", System.getProperty("java.version", "unknown"))
                .register(registry);
    }

    /** The version in the jar's manifest, or {@code dev} when the classes do not come from the built jar. */
    public static String version() {
        String version = Telemetry.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The status page's data: the roles add their sources to it. */
    public StatusBoard board() {
        return board;
    }

    /** Every meter in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        board.close();
        gc.close();
        registry.close();
    }
}
