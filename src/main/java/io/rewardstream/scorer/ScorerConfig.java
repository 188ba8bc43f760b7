package io.rewardstream.scorer;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.model.Device;
import io.rewardstream.scoring.ScorerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/** Builds the scorer's settings and connection from the layered configuration (keys scoring.*, http.*). */
public final class ScorerConfig {

    private ScorerConfig() {
    }

    /** @param httpPort the --http-port option, which wins over http.port when given */
    public static ScorerSettings settings(RewardStreamConfig config, Integer httpPort) {
        try {
            return new ScorerSettings(config.value("scoring.application.id"), integer(config, "scoring.batch.size"),
                    Duration.ofMillis(integer(config, "scoring.linger.ms")),
                    Device.parse("scoring.device", config.value("scoring.device")),
                    integer(config, "scoring.model.threads"), config.value("http.host"),
                    httpPort != null ? httpPort : integer(config, "http.port"), integer(config, "http.max.body.bytes"),
                    integer(config, "http.max.items"));
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(e.getMessage().split(" ", 2)[0], e.getMessage().contains(" ")
                    ? e.getMessage().split(" ", 2)[1] : "is invalid");
        }
    }

    /** Same cluster, registry, topics and Kafka settings as the trainer; state in its own folder. */
    public static ScorerRole.Connection connection(RewardStreamConfig config) {
        Map<String, Object> kafka = new LinkedHashMap<>(config.kafka());
        String bootstrap = String.valueOf(kafka.remove(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        kafka.remove(StreamsConfig.APPLICATION_ID_CONFIG);
        Path stateDir = Path.of(String.valueOf(kafka.remove(StreamsConfig.STATE_DIR_CONFIG)));
        Map<String, Object> registry = new LinkedHashMap<>(config.registryClientConfig());
        registry.remove(ConfigKeys.SCHEMA_REGISTRY_URL);
        return new ScorerRole.Connection(bootstrap, config.schemaRegistryUrl(), config.topics(),
                stateDir.resolve("scorer"), kafka, registry);
    }

    private static int integer(RewardStreamConfig config, String key) {
        try {
            return Integer.parseInt(config.value(key).trim());
        } catch (NumberFormatException e) {
            throw ConfigException.of(key, "has value '" + config.value(key) + "', not an integer");
        }
    }
}
