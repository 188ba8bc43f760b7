package io.rewardstream.bench.chaos;

import io.rewardstream.bench.BenchModels;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A chaos run against an embedded broker and a real registry, the roles run from the jar as separate processes:
 * SIGKILL cycles of a scorer and of a trainer, two scorers with one killed (a rebalance), a broker restart and a
 * registry outage under both roles. Each phase counts what a read_committed consumer sees: responses without a
 * reward, rewards beyond the first, pairs missing from the training store, release versions repeated or going back.
 */
public final class ChaosRun {

    /**
     * What a run found.
     *
     * @param crashed role processes that ended by themselves with an error code (not by the run's SIGKILL or SIGTERM)
     */
    public record Outcome(List<PhaseResult> phases, List<String> crashed) {

        /** Whether every phase is clean and no role process crashed. */
        public boolean clean() {
            return crashed.isEmpty() && phases.stream().allMatch(PhaseResult::clean);
        }
    }

    private ChaosRun() {
    }

    /** @param work an empty folder for the broker, the roles' state and their logs */
    public static Outcome run(ChaosSettings settings, Path work, Consumer<String> progress) throws Exception {
        progress.accept("training a model on 600 synthetic pairs for the scorers to serve");
        Path model = work.resolve("model");
        BenchModels.train(new SyntheticPreferences(5, 0.0).pairs(600), "synthetic", "chaos", 0, model);
        List<PhaseResult> results = new ArrayList<>();
        try (ChaosCluster cluster = new ChaosCluster(settings, work)) {
            ChaosPhases phases = new ChaosPhases(cluster, settings, model, progress);
            if (settings.scorerKills() > 0) {
                results.add(report(phases.scorerKills(), progress));
            }
            if (settings.trainerKills() > 0) {
                results.add(report(phases.trainerKills(), progress));
            }
            if (settings.rebalance()) {
                results.add(report(phases.rebalance(), progress));
            }
            if (settings.brokerRestart()) {
                results.add(report(phases.brokerRestart(), progress));
            }
            if (settings.registryOutage()) {
                results.add(report(phases.registryOutage(), progress));
            }
            List<String> crashed = cluster.crashed();
            if (!crashed.isEmpty()) {
                progress.accept("processes that ended by themselves with an error: " + String.join(", ", crashed));
            }
            return new Outcome(results, crashed);
        }
    }

    private static PhaseResult report(PhaseResult result, Consumer<String> progress) {
        progress.accept(result.phase() + " done: " + result.asMap());
        return result;
    }
}
