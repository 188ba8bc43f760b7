package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.config.Durations;
import io.rewardstream.demo.DemoSettings;
import io.rewardstream.demo.StreamingDemo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole streaming system in one process (embedded broker, in-memory registry, trainer, scorer,
 * synthetic annotator and rollout worker), with progress on the console and the scorer's status page.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run RewardStream end to end in one process: an embedded Kafka broker, an in-memory schema"
                + " registry, the trainer and the scorer, a synthetic annotator and a synthetic rollout worker.",
            "Exits 0 when a model was promoted and rewards came back (or when stopped with Ctrl-C), 1 otherwise."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "3m", paramLabel = "DURATION",
            description = "How long to run, e.g. 90s, 5m; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--preferences", paramLabel = "FILE.jsonl",
            description = "Replay these pairs {\"prompt\", \"chosen\", \"rejected\"} instead of synthetic judgments;"
                    + " rollouts are then drawn from their responses.")
    Path preferences;

    @Option(names = "--preferences-per-second", defaultValue = "10", paramLabel = "N",
            description = "Preference events per second (default: ${DEFAULT-VALUE}).")
    double preferencesPerSecond;

    @Option(names = "--responses-per-second", defaultValue = "20", paramLabel = "N",
            description = "Rollout responses per second (default: ${DEFAULT-VALUE}).")
    double responsesPerSecond;

    @Option(names = "--noise", defaultValue = "0.1", paramLabel = "F",
            description = "Share of synthetic judgments flipped (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--flip-after", paramLabel = "DURATION",
            description = "Reverse every judgment after this long, to watch drift detection and retraining.")
    String flipAfter;

    @Option(names = "--min-pairs", defaultValue = "300", paramLabel = "N",
            description = "Pairs before the first model (training.min-pairs; default: ${DEFAULT-VALUE}).")
    int minPairs;

    @Option(names = "--training-interval", defaultValue = "20s", paramLabel = "DURATION",
            description = "How often the trainer considers retraining (default: ${DEFAULT-VALUE}).")
    String trainingInterval;

    @Option(names = "--http-port", defaultValue = "0", paramLabel = "N",
            description = "Port of the status page and scoring API; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--report-every", defaultValue = "10s", paramLabel = "DURATION",
            description = "How often to print a progress line (default: ${DEFAULT-VALUE}).")
    String reportEvery;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the generators (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Keep the broker's data and the roles' state here (an empty or new folder); by default a"
                    + " temporary folder is used and removed at the end.")
    Path workDir;

    @Option(names = "--verbose", description = "Show Kafka's own warnings too (the demo hides them below ERROR).")
    boolean verbose;

    @Override
    public Integer call() {
        DemoSettings settings;
        try {
            settings = new DemoSettings(duration.trim().equals("0") ? Duration.ZERO
                    : Durations.parse("--duration", duration), preferencesPerSecond,
                    responsesPerSecond, noise, seed, preferences,
                    flipAfter == null ? null : Durations.parse("--flip-after", flipAfter), httpPort,
                    Durations.parse("--report-every", reportEvery), workDir, minPairs,
                    Durations.parse("--training-interval", trainingInterval));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!verbose) {
            KafkaLogs.quiet();
        }
        PrintWriter out = spec.commandLine().getOut();
        StreamingDemo demo = new StreamingDemo(settings, out);
        StreamingDemo.Outcome outcome;
        // Ctrl-C or SIGTERM asks the demo to stop; it closes everything in order and returns (see StopSignals).
        try (StopSignals signals = StopSignals.install(name -> demo.requestStop())) {
            outcome = demo.run();
        }
        if (outcome.stoppedByUser()) {
            return Main.OK;
        }
        if (outcome.promotions() == 0) {
            spec.commandLine().getErr().println("error: no model was promoted in " + Durations.format(settings.duration())
                    + " (" + outcome.preferencesSent() + " preference events sent, " + outcome.rejections()
                    + " candidate(s) stopped by the promotion gate); the first model needs " + settings.minPairs()
                    + " pairs and a held-out accuracy of at least gate.min-accuracy: give it more time or pairs");
            return Main.FAILURE;
        }
        if (outcome.rewards() == 0) {
            spec.commandLine().getErr().println("error: a model was promoted but no reward came back from the scorer");
            return Main.FAILURE;
        }
        return Main.OK;
    }
}
