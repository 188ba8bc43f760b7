package io.rewardstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.runtime.Device;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.trainer.TrainerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration shipped in k8s/ and docker/ is read by the same loader as {@code run}: every key must be known
 * and every value valid, or the pods would stop at start-up. (The manifests themselves need a cluster to run.)
 */
class DeploymentConfigTest {

    @TempDir
    Path temp;

    @Test
    void shouldLoadThePropertiesOfTheKubernetesConfigMap() throws Exception {
        Path properties = temp.resolve("rewardstream.properties");
        Files.writeString(properties, configMapProperties(Path.of("k8s", "base", "configmap.yaml")), StandardCharsets.UTF_8);

        RewardStreamConfig config = ConfigLoader.load(properties, Map.of(), Map.of());
        ScorerSettings scorer = ScorerConfig.settings(config, null);

        assertThat(config.kafka()).containsEntry("bootstrap.servers", "kafka-bootstrap:9092")
                .containsEntry("replication.factor", "3").containsEntry("num.standby.replicas", "1");
        assertThat(config.schemaRegistryUrl()).endsWith("/apis/ccompat/v7");
        assertThat(TrainerConfig.settings(config).interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.createPartitions()).isEqualTo(6);
        assertThat(scorer.http().host()).isEqualTo("0.0.0.0");
        assertThat(scorer.device()).isEqualTo(Device.AUTO);
    }

    @Test
    void shouldLoadTheEnvironmentOfTheComposeFileAndTheImage() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(environment(Path.of("docker", "Dockerfile"), "ENV"));
        String compose = Files.readString(Path.of("docker", "compose.yaml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^\\s+((?:REWARDSTREAM|KAFKA_REPLICATION)_[A-Z_]+): \"?([^\"\\n]+)\"?$")
                .matcher(compose);
        while (m.find()) {
            // A value the user may override, ${NAME:-default}, is read at its default.
            env.put(m.group(1), m.group(2).replaceAll("^\\$\\{[A-Z_]+:-(.*)}$", "$1"));
        }
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("DJL_CACHE_DIR");

        RewardStreamConfig config = ConfigLoader.load(null, env, Map.of("kafka.bootstrap.servers", "127.0.0.1:19092",
                "schema.registry.url", "http://127.0.0.1:18080/apis/ccompat/v7"));
        ScorerSettings scorer = ScorerConfig.settings(config, null);

        assertThat(env).containsKeys("REWARDSTREAM_STATE_DIR", "REWARDSTREAM_HTTP_HOST", "REWARDSTREAM_TOPICS_PARTITIONS",
                "REWARDSTREAM_SCORING_DEVICE", "KAFKA_REPLICATION_FACTOR");
        assertThat(config.kafka()).containsEntry("state.dir", "/var/lib/rewardstream/state")
                .containsEntry("replication.factor", "1");
        assertThat(scorer.http().host()).isEqualTo("127.0.0.1");
        assertThat(scorer.device()).isEqualTo(Device.CPU);
        assertThat(config.createPartitions()).isEqualTo(3);
        assertThat(TrainerConfig.settings(config).minPairs()).isEqualTo(1000);
    }

    /** The indented block under {@code rewardstream.properties: |}. */
    private static String configMapProperties(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.trim().equals("rewardstream.properties: |")) {
                inside = true;
            } else if (inside && (line.startsWith("    ") || line.isBlank())) {
                out.add(line.strip());
            } else if (inside) {
                break;
            }
        }
        assertThat(out).as("the properties block of %s", file).isNotEmpty();
        return String.join("\n", out);
    }

    /** NAME=value pairs of the image's ENV instructions (continued lines joined). */
    private static Map<String, String> environment(Path dockerfile, String instruction) throws Exception {
        String text = Files.readString(dockerfile, StandardCharsets.UTF_8).replace("\\\n", " ");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith(instruction + " ")) {
                Matcher m = Pattern.compile("([A-Z_]+)=(\"[^\"]*\"|\\S+)").matcher(line);
                while (m.find()) {
                    env.put(m.group(1), m.group(2).replace("\"", ""));
                }
            }
        }
        return env;
    }
}
