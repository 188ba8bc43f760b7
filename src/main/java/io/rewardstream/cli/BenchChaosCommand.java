package io.rewardstream.cli;

import io.rewardstream.bench.chaos.ChaosRun;
import io.rewardstream.bench.chaos.ChaosSettings;
import io.rewardstream.bench.chaos.PhaseResult;
import io.rewardstream.common.BadInputException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench chaos}: faults injected under load, and what was lost or doubled (see docs/reliability.md). */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Chaos under load against an embedded broker and a real schema registry, the roles run from this"
                + " jar as separate processes: SIGKILL + restart cycles of a scorer while responses flow and of a"
                + " trainer while preference events flow, two scorers with one killed (rebalance), a broker restart"
                + " and a registry outage under both roles.",
            "Prints per phase what a read_committed consumer saw: responses lost or doubled, pairs missing from the"
                + " training store, release versions repeated or going backwards. Exit code 0 when all are zero."})
final class BenchChaosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--schema-registry-url", paramLabel = "URL", defaultValue = "${env:SCHEMA_REGISTRY_URL}",
            description = "A real registry (scripts/registry.sh start prints one); default: $SCHEMA_REGISTRY_URL.")
    String registryUrl;

    @Option(names = "--jar", paramLabel = "FILE", description = "The jar the roles run from (default: this one).")
    Path jar;

    @Option(names = "--scorer-kills", defaultValue = "5", description = "SIGKILL cycles of the scorer (default ${DEFAULT-VALUE}).")
    int scorerKills;

    @Option(names = "--responses", defaultValue = "10000", description = "Responses per scoring phase (default ${DEFAULT-VALUE}).")
    int responses;

    @Option(names = "--trainer-kills", defaultValue = "5", description = "SIGKILL cycles of the trainer (default ${DEFAULT-VALUE}).")
    int trainerKills;

    @Option(names = "--events", defaultValue = "2000", description = "Preference events per training phase (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--no-rebalance", description = "Skip the two-scorer phase.")
    boolean noRebalance;

    @Option(names = "--no-broker-restart", description = "Skip the broker restart.")
    boolean noBrokerRestart;

    @Option(names = "--no-registry-outage", description = "Skip the registry outage.")
    boolean noRegistryOutage;

    @Option(names = "--responses-per-second", defaultValue = "250", description = "Rate of the response feed (default ${DEFAULT-VALUE}).")
    double responsesPerSecond;

    @Option(names = "--events-per-second", defaultValue = "40", description = "Rate of the preference feed (default ${DEFAULT-VALUE}).")
    double eventsPerSecond;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Keep the broker data and role logs here (default: a temporary folder, removed).")
    Path workDir;

    @Option(names = "--json", description = "Print exactly one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new BadInputException("--schema-registry-url is required (or SCHEMA_REGISTRY_URL): a real registry,"
                    + " e.g. eval \\\"$(scripts/registry.sh start)\\\"");
        }
        if (registryUrl.startsWith("mock:")) {
            throw new BadInputException("--schema-registry-url: the roles run as separate processes and cannot share a"
                    + " mock:// registry; give a real one");
        }
        Path roleJar = jar != null ? jar : runningJar();
        ChaosSettings settings = new ChaosSettings(roleJar, registryUrl, scorerKills, responses, trainerKills, events,
                !noRebalance, !noBrokerRestart, !noRegistryOutage, responsesPerSecond, eventsPerSecond);
        KafkaLogs.quiet();
        PrintWriter err = spec.commandLine().getErr();
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("rewardstream-chaos-");
        long start = System.nanoTime();
        ChaosRun.Outcome outcome;
        try {
            outcome = ChaosRun.run(settings, work, line -> {
                err.println("chaos: " + line);
                err.flush();
            });
        } finally {
            if (workDir == null) {
                Utils.delete(work.toFile());
            }
        }
        print(outcome, Duration.ofNanos(System.nanoTime() - start));
        return outcome.clean() ? Main.OK : Main.FAILURE;
    }

    private static Path runningJar() throws URISyntaxException {
        Path location = Path.of(BenchChaosCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(location)) {
            throw new BadInputException("not running from a jar (" + location + "): give --jar");
        }
        return location;
    }

    private void print(ChaosRun.Outcome outcome, Duration took) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("phases", outcome.phases().stream().map(PhaseResult::asMap).toList());
            all.put("crashed_processes", outcome.crashed());
            all.put("clean", outcome.clean());
            all.put("seconds", took.toSeconds());
            out.println(io.rewardstream.http.Exchanges.JSON.writeValueAsString(all));
        } else {
            out.println(String.format(Locale.ROOT, "%-16s %6s %8s %8s %5s %7s | %6s %6s %5s %8s %8s %8s %7s",
                    "phase", "faults", "sent", "rewarded", "lost", "doubled", "events", "pairs", "lost",
                    "releases", "repeated", "backward", "seconds"));
            for (PhaseResult r : outcome.phases()) {
                boolean trainer = r.events() >= 0;
                out.println(String.format(Locale.ROOT, "%-16s %6d %8d %8d %5d %7d | %6s %6s %5s %8s %8s %8s %7.0f",
                        r.phase(), r.faults(), r.sent(), r.rewarded(), r.lost(), r.doubled(),
                        trainer ? r.events() : "-", trainer ? r.pairsInStore() : "-", trainer ? r.pairsLost() : "-",
                        trainer ? r.releases() : "-", trainer ? r.repeatedVersions() : "-",
                        trainer ? r.backwardVersions() : "-", r.seconds()));
                if (!r.notes().isEmpty()) {
                    out.println("  " + r.notes());
                }
            }
            out.println("crashed role processes: " + (outcome.crashed().isEmpty() ? "none"
                    : String.join(", ", outcome.crashed())));
            out.println((outcome.clean() ? "clean" : "NOT clean") + " after " + took.toMinutes() + " min "
                    + took.toSecondsPart() + " s");
        }
        out.flush();
    }
}
