package io.rewardstream.telemetry;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;

/**
 * Keeps {@code /metrics} within Prometheus's conventions, so that {@code promtool check metrics} passes on the whole
 * of it, by leaving out the few meters that other libraries name against them: those measured in nanoseconds or
 * milliseconds (Kafka's {@code ...time.ns...} I/O timings and {@code start.time.ms}, Micrometer's
 * {@code process.cpu.time}; a filter cannot rescale them to seconds, and {@link Telemetry} exposes the process's CPU
 * time as {@code process_cpu_seconds_total}) and gauges whose name ends in {@code count}, a suffix Prometheus keeps for
 * histograms (Kafka's {@code connection.count}, Micrometer's {@code system.cpu.count}). Renaming them instead would
 * confuse Micrometer's Kafka binder, which re-registers meters under their original names.
 */
public final class PrometheusNames {

    /** The filter to install on a registry before any meter is registered. */
    public static final MeterFilter FILTER = MeterFilter.deny(PrometheusNames::against);

    private PrometheusNames() {
    }

    /** True for a meter whose name Prometheus's conventions refuse. */
    static boolean against(Meter.Id id) {
        List<String> words = List.of(id.getName().split("\\."));
        return words.contains("ns") || words.contains("ms") || id.getName().equals("process.cpu.time")
                || (id.getType() == Meter.Type.GAUGE && id.getName().endsWith(".count"));
    }
}
