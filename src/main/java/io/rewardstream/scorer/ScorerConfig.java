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
            return new ScorerSettings(config.value("scoring.application.id"), config.intValue("scoring.batch.size"),
                    Duration.ofMillis(config.intValue("scoring.linger.ms")),
                    Device.parse("scoring.device", config.value("scoring.device")),
                    config.intValue("scoring.model.threads"), config.value("http.host"),
                    httpPort != null ? httpPort : config.intValue("http.port"), config.intValue("http.max.body.bytes"),
                    config.intValue("http.max.items"));
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
}
