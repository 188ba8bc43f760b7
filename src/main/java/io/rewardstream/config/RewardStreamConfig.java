package io.rewardstream.config;

import java.util.Map;
import java.util.Properties;

/**
 * Everything a role needs at start-up, parsed and validated.
 *
 * @param kafka             Kafka Streams and client settings (application.id, bootstrap.servers, state.dir,
 *                          processing.guarantee, ...)
 * @param schemaRegistryUrl the registry's base URL, or mock://scope
 * @param createPartitions  partitions of topics made with --create-topics (topics.partitions)
 * @param values            every project key with its layered value, for roles that parse their own keys
 */
public record RewardStreamConfig(Topics topics, TrainerSettings trainer, EncoderSettings encoder,
                                 Map<String, Object> kafka, String schemaRegistryUrl, int createPartitions,
                                 Map<String, String> values) {

    public RewardStreamConfig {
        kafka = Map.copyOf(kafka);
        values = Map.copyOf(values);
    }

    /** The value of a project key (one of {@link ConfigKeys#DEFAULTS}). */
    public String value(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("unknown configuration key " + key);
        }
        return value;
    }

    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        return props;
    }
}
