package io.rewardstream.cli;

import io.rewardstream.bench.BenchModels;
import io.rewardstream.bench.SoakBenchmark;
import io.rewardstream.common.BadInputException;
import io.rewardstream.config.Durations;
import io.rewardstream.http.Exchanges;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench soak}: both roles under a steady load for a long time; heap after GC, latency and lag over time. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Both roles and an embedded broker in this JVM under a steady load: rollouts at half the rate"
                + " the scorer reaches flat out (measured first), preference events at 1 per 25 rollouts. Prints at"
                + " each interval the heap after a full GC, p50/p99 from a rollout's creation to its reward being"
                + " read (read_committed), and the scorer's consumer lag; then whether any of them grew."})
final class BenchSoakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "30m", description = "How long to soak (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--interval", defaultValue = "1m", description = "Time between samples (default ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--calibration", defaultValue = "3000",
            description = "Responses of the flat-out burst that sets the rate (default ${DEFAULT-VALUE}).")
    int calibration;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory to serve; by default one is trained on 600 synthetic pairs first.")
    Path model;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Duration total;
        Duration every;
        try {
            total = Durations.parse("--duration", duration);
            every = Durations.parse("--interval", interval);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (every.compareTo(total) > 0) {
            throw new BadInputException("--interval (" + interval + ") must not be longer than --duration");
        }
        KafkaLogs.quiet();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path work = Files.createTempDirectory("rewardstream-soak-");
        try {
            Path served = model;
            if (served == null) {
                err.println("training a model on 600 synthetic pairs to serve");
                err.flush();
                served = work.resolve("model");
                BenchModels.train(new SyntheticPreferences(5, 0.0).pairs(600), "synthetic", "soak", 0, served);
            }
            if (!json) {
                out.println(String.format(Locale.ROOT, "%8s %9s %8s %8s %8s %7s %14s", "at", "rewards", "per_s",
                        "p50_ms", "p99_ms", "lag", "heap_after_gc"));
                out.flush();
            }
            SoakBenchmark.Result r = SoakBenchmark.run(served, total, every, calibration, work.resolve("run"),
                    line -> {
                        err.println("soak: " + line);
                        err.flush();
                    }, s -> {
                        if (!json) {
                            out.println(row(s));
                            out.flush();
                        }
                    });
            print(out, r);
        } finally {
            Utils.delete(work.toFile());
        }
        return Main.OK;
    }

    private static String row(SoakBenchmark.Sample s) {
        return String.format(Locale.ROOT, "%8s %9d %8.1f %8.0f %8.0f %7d %11.1f MB", Durations.format(s.at()),
                s.rewards(), s.ratePerSecond(), s.p50Millis(), s.p99Millis(), s.lag(), s.heapAfterGcBytes() / 1e6);
    }

    private void print(PrintWriter out, SoakBenchmark.Result r) throws Exception {
        List<SoakBenchmark.Sample> s = r.samples();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("max_per_s", round(r.maxRatePerSecond()));
        summary.put("target_per_s", round(r.targetRatePerSecond()));
        summary.put("samples", s.size());
        summary.put("heap_after_gc_mb_first_third", round(third(s, true, x -> x.heapAfterGcBytes() / 1e6)));
        summary.put("heap_after_gc_mb_last_third", round(third(s, false, x -> x.heapAfterGcBytes() / 1e6)));
        summary.put("p99_ms_first_third", round(third(s, true, SoakBenchmark.Sample::p99Millis)));
        summary.put("p99_ms_last_third", round(third(s, false, SoakBenchmark.Sample::p99Millis)));
        summary.put("lag_first_third", round(third(s, true, x -> x.lag())));
        summary.put("lag_last_third", round(third(s, false, x -> x.lag())));
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>(summary);
            all.put("series", s.stream().map(x -> Map.of("at_s", x.at().toSeconds(), "rewards", x.rewards(),
                    "per_s", round(x.ratePerSecond()), "p50_ms", round(x.p50Millis()), "p99_ms", round(x.p99Millis()),
                    "lag", x.lag(), "heap_after_gc_mb", round(x.heapAfterGcBytes() / 1e6))).toList());
            out.println(Exchanges.JSON.writeValueAsString(all));
        } else {
            out.println(String.format(Locale.ROOT, "flat out %.1f/s, soaked at %.1f/s; first third -> last third:"
                    + " heap after GC %.1f -> %.1f MB, p99 %.0f -> %.0f ms, lag %.0f -> %.0f",
                    r.maxRatePerSecond(), r.targetRatePerSecond(), summary.get("heap_after_gc_mb_first_third"),
                    summary.get("heap_after_gc_mb_last_third"), summary.get("p99_ms_first_third"),
                    summary.get("p99_ms_last_third"), summary.get("lag_first_third"), summary.get("lag_last_third")));
        }
        out.flush();
    }

    /** The mean of {@code value} over the first or last third of the samples (at least one). */
    private static double third(List<SoakBenchmark.Sample> s, boolean first,
                                ToDoubleFunction<SoakBenchmark.Sample> value) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int n = Math.max(1, s.size() / 3);
        List<SoakBenchmark.Sample> part = first ? s.subList(0, n) : s.subList(s.size() - n, s.size());
        return part.stream().mapToDouble(value).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
