package io.rewardstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.config.Topics;
import io.rewardstream.config.TrainerSettings;
import io.rewardstream.model.TextEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * topology/trainer.txt is the trainer topology as the code builds it. Regenerate it after a deliberate change
 * with {@code mvn -o test -Dtest=TrainerTopologyDescriptionTest -Drewardstream.topology.update=true}.
 */
class TrainerTopologyDescriptionTest {

    private static final Path FILE = Path.of("topology", "trainer.txt");

    @TempDir
    Path temp;

    @Test
    void shouldMatchTheCommittedTopologyDescription() throws Exception {
        String description;
        try (TextEncoder encoder = TrainerFixtures.tinyEncoder(temp)) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rewardstream-trainer");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            description = TrainerTopology.build(props, Topics.defaults(), TrainerSettings.defaults(),
                    TrainerFixtures.serdes(), TrainerFixtures.model(encoder), Runnable::run).describe().toString();
        }
        if (Boolean.getBoolean("rewardstream.topology.update")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, description, StandardCharsets.UTF_8);
        }

        assertThat(FILE).as("run with -Drewardstream.topology.update=true to regenerate").exists();
        assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
                .as("topology/trainer.txt is stale; run with -Drewardstream.topology.update=true")
                .isEqualTo(description);
    }
}
