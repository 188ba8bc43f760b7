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
 * @param values            every project key with its layered value, for roles that parse their own keys, and
 *                          the schema-registry client settings under {@link #REGISTRY_PREFIX}
 */
public record RewardStreamConfig(Topics topics, TrainerSettings trainer, EncoderSettings encoder,
                                 Map<String, Object> kafka, String schemaRegistryUrl, int createPartitions,
                                 Map<String, String> values) {

    /** Prefix of settings passed to the schema-registry client with the prefix removed. */
    public static final String REGISTRY_PREFIX = "registry.";

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

    /** The value of a project key read as an integer; a clear error names the key otherwise. */
    public int intValue(String key) {
        String value = value(key);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ConfigException.of(key, "has value '" + value + "', not an integer");
        }
    }

    /**
     * Settings of the schema-registry client: {@code schema.registry.url} and every {@code registry.*} key without
     * its prefix, e.g. {@code registry.basic.auth.credentials.source=USER_INFO} and
     * {@code registry.basic.auth.user.info=user:secret} (Confluent's key names).
     */
    public Map<String, Object> registryClientConfig() {
        Map<String, Object> client = new java.util.LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(REGISTRY_PREFIX)) {
                client.put(key.substring(REGISTRY_PREFIX.length()), value);
            }
        });
        client.put(ConfigKeys.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        return client;
    }

    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        return props;
    }
}
