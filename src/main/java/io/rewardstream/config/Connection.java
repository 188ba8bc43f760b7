package io.rewardstream.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a role connects and keeps its state.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl      schema registry URL ({@code mock://scope} for an in-memory one)
 * @param topics           topic names
 * @param stateDir         Kafka Streams state directory
 * @param kafka            further Kafka client settings (security, replication.factor, ...), applied last, over the
 *                         role's own
 * @param registry         further schema-registry client settings (Confluent's names: basic.auth.*, bearer.auth.*,
 *                         schema.registry.ssl.*)
 */
public record Connection(String bootstrapServers, String registryUrl, Topics topics, Path stateDir,
                         Map<String, Object> kafka, Map<String, Object> registry) {

    public Connection {
        kafka = Map.copyOf(kafka);
        registry = Map.copyOf(registry);
    }

    /** Default topics, state under {@code java.io.tmpdir}/{@code stateFolder}, no further settings. */
    public static Connection of(String bootstrapServers, String registryUrl, String stateFolder) {
        return new Connection(bootstrapServers, registryUrl, Topics.defaults(),
                Path.of(System.getProperty("java.io.tmpdir"), stateFolder), Map.of(), Map.of());
    }

    /** The same connection with Kafka Streams state in {@code dir}. */
    public Connection withStateDir(Path dir) {
        return new Connection(bootstrapServers, registryUrl, topics, dir, kafka, registry);
    }

    /** The registry client's settings: {@link #registry} and the URL. */
    public Map<String, Object> registryClientConfig() {
        Map<String, Object> client = new LinkedHashMap<>(registry);
        client.put(ConfigKeys.SCHEMA_REGISTRY_URL, registryUrl);
        return client;
    }
}
