package io.rewardstream.topologydocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code topology/} files are what the code builds. After a deliberate change to a topology, refresh
 * them with {@code java -jar target/rewardstream.jar topology} and commit the result.
 */
class TopologyFilesTest {

    private static final Path DIR = Path.of("topology");
    private static Map<String, String> built;

    @TempDir
    Path temp;

    @BeforeAll
    static void build() {
        built = TopologyFiles.build();
    }

    @Test
    void shouldMatchTheCommittedFiles() throws Exception {
        assertThat(built).containsOnlyKeys("trainer.txt", "trainer.md", "scorer.txt", "scorer.md");
        for (Map.Entry<String, String> file : built.entrySet()) {
            Path committed = DIR.resolve(file.getKey());
            assertThat(committed).as("topology/%s is missing; run the topology command", file.getKey()).exists();
            assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                    .as("topology/%s is stale; run java -jar target/rewardstream.jar topology", file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void shouldDrawEveryNamedNodeTopicAndStoreOfTheDescription() {
        String trainer = built.get("trainer.md");
        assertThat(trainer).contains("```mermaid\nflowchart TD").contains("rlhf.preferences").contains("rlhf.reward-models")
                .contains("dedupe-events").contains("training-store").contains("[(\"training-pairs\")]");
        String scorer = built.get("scorer.md");
        assertThat(scorer).contains("rlhf.responses").contains("rlhf.rewards").contains("[(\"waiting-responses\")]");
        for (String line : built.get("scorer.txt").split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Processor: ") || trimmed.startsWith("Source: ") || trimmed.startsWith("Sink: ")) {
                String name = trimmed.substring(trimmed.indexOf(' ') + 1, trimmed.indexOf(" ("));
                assertThat(scorer).as("node %s in the diagram", name).contains("[\"" + name + "<br/>");
            }
        }
    }

    @Test
    void shouldReportStaleFilesAndWriteFreshOnes() throws Exception {
        Files.writeString(temp.resolve("scorer.txt"), "old");

        assertThat(TopologyFiles.stale(temp)).containsExactlyInAnyOrder("trainer.txt", "trainer.md", "scorer.txt",
                "scorer.md");
        TopologyFiles.write(temp);
        assertThat(TopologyFiles.stale(temp)).isEmpty();
    }
}
