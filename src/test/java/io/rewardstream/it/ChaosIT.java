package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.bench.chaos.ChaosRun;
import io.rewardstream.bench.chaos.ChaosSettings;
import io.rewardstream.bench.chaos.PhaseResult;
import io.rewardstream.registry.RealRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench chaos} at a size that fits CI: two SIGKILL cycles of a scorer over 1,500 responses and of a trainer over
 * 300 preference events, two scorers with one killed, a broker restart and a registry outage under both roles. The
 * roles are the jar as separate processes; every count must come out clean. The full counts (five kills of each,
 * 10,000 responses) are the command's defaults: {@code java -jar target/rewardstream.jar bench chaos}.
 */
class ChaosIT {

    @TempDir
    Path temp;

    @Test
    void shouldLoseAndDoubleNothingThroughKillsARebalanceABrokerRestartAndARegistryOutage() throws Exception {
        // Given
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar")).toAbsolutePath();
        ChaosSettings settings = new ChaosSettings(jar, RealRegistry.url(), 2, 1_500, 2, 300, true, true, true, 200,
                30);

        // When
        ChaosRun.Outcome outcome = ChaosRun.run(settings, temp, line -> { });

        // Then
        List<PhaseResult> phases = outcome.phases();
        assertThat(phases).extracting(PhaseResult::phase).containsExactly("scorer-kills", "trainer-kills",
                "rebalance", "broker-restart", "registry-outage");
        assertThat(phases).allSatisfy(p -> {
            assertThat(p.lost()).as("%s: responses without a reward (%s)", p.phase(), p.notes()).isZero();
            assertThat(p.doubled()).as("%s: rewards beyond the first", p.phase()).isZero();
            assertThat(p.notes()).as("%s: notes", p.phase()).isEmpty();
        });
        assertThat(phases.get(0).sent()).isEqualTo(1_500);
        assertThat(phases.get(1).events()).isEqualTo(300);
        assertThat(phases).filteredOn(p -> p.events() >= 0).allSatisfy(p -> {
            assertThat(p.pairsLost()).as("%s: pairs missing from the training store", p.phase()).isZero();
            assertThat(p.releases()).as("%s: a model was published", p.phase()).isPositive();
            assertThat(p.repeatedVersions()).as("%s: versions published twice", p.phase()).isZero();
            assertThat(p.backwardVersions()).as("%s: versions going back", p.phase()).isZero();
        });
        assertThat(outcome.crashed()).as("role processes that ended by themselves").isEmpty();
    }
}
