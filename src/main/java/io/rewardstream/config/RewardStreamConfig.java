package io.rewardstream.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the roles read at start-up, layered and validated; each role parses its own keys from
 * {@link #values()}.
 *
 * @param kafka             Kafka Streams and client settings (application.id, bootstrap.servers, state.dir,
 *                          processing.guarantee, ...)
 * @param schemaRegistryUrl the registry's base URL, or mock://scope
 * @param createPartitions  partitions of topics made with --create-topics (topics.partitions)
 * @param values            every project key with its layered value, and the schema-registry client settings under
 *                          {@link #REGISTRY_PREFIX}
 */
public record RewardStreamConfig(Topics topics, Map<String, Object> kafka, String schemaRegistryUrl,
                                 int createPartitions, KeyValues values) {

    /** Prefix of settings passed to the schema-registry client with the prefix removed. */
    public static final String REGISTRY_PREFIX = "registry.";

    public RewardStreamConfig {
        kafka = Map.copyOf(kafka);
    }

    /** The Kafka Streams application id: {@code kafka.application.id} when given, else {@code application.id}. */
    public String applicationId() {
        return String.valueOf(kafka.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    /**
     * The cluster, registry, topics and state directory; the further Kafka settings are {@link #kafka} without
     * bootstrap.servers, application.id and state.dir, which each role sets itself.
     */
    public Connection connection() {
        Map<String, Object> extra = new LinkedHashMap<>(kafka);
        String bootstrap = String.valueOf(extra.remove(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        extra.remove(StreamsConfig.APPLICATION_ID_CONFIG);
        Path stateDir = Path.of(String.valueOf(extra.remove(StreamsConfig.STATE_DIR_CONFIG)));
        Map<String, Object> registry = new LinkedHashMap<>(registryClientConfig());
        registry.remove(ConfigKeys.SCHEMA_REGISTRY_URL);
        return new Connection(bootstrap, schemaRegistryUrl, topics, stateDir, extra, registry);
    }

    /**
     * Settings of the schema-registry client: {@code schema.registry.url} and every {@code registry.*} key without
     * its prefix, e.g. {@code registry.basic.auth.credentials.source=USER_INFO} and
     * {@code registry.basic.auth.user.info=user:secret} (Confluent's key names).
     */
    public Map<String, Object> registryClientConfig() {
        Map<String, Object> client = new LinkedHashMap<>();
        values.asMap().forEach((key, value) -> {
            if (key.startsWith(REGISTRY_PREFIX)) {
                client.put(key.substring(REGISTRY_PREFIX.length()), value);
            }
        });
        client.put(ConfigKeys.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        return client;
    }
}
