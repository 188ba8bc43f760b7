package io.rewardstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.config.Topics;
import io.rewardstream.registry.MockRegistryScopes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * topology/scorer.txt must be what the code builds with the default settings. To refresh it after a deliberate
 * change: {@code mvn -o -q test -Dtest=ScoringTopologyFileTest -Drewardstream.topology.update=true}.
 */
class ScoringTopologyFileTest {

    static final Path FILE = Path.of("topology", "scorer.txt");

    static String describe() {
        String scope = "topology-" + UUID.randomUUID();
        try {
            ModelHolder holder = new ModelHolder();
            BatchScorer scorer = new BatchScorer(holder, new ScoringMetrics(new SimpleMeterRegistry(), holder));
            return ScoringTopology.build(ScorerSettings.defaults(), Topics.defaults(),
                    ScoringSerdes.forRegistry("mock://" + scope), scorer).describe().toString();
        } finally {
            MockRegistryScopes.drop(scope);
        }
    }

    @Test
    void shouldMatchTheCommittedTopologyDescription() throws Exception {
        // Given
        String built = describe();
        if (Boolean.getBoolean("rewardstream.topology.update")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, built, StandardCharsets.UTF_8);
        }

        // When
        String committed = Files.readString(FILE, StandardCharsets.UTF_8);

        // Then
        assertThat(built).as("topology/scorer.txt is stale; see this test's comment to refresh it")
                .isEqualTo(committed);
    }
}
