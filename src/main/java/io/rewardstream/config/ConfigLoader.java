package io.rewardstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layered configuration: built-in defaults, then a properties file (--config), then environment variables
 * (REWARDSTREAM_TRAINING_MIN_PAIRS for training.min-pairs; KAFKA_MAX_POLL_RECORDS for the Kafka setting
 * max.poll.records), then the command line. In the file, Kafka settings carry the prefix {@code kafka.}.
 * Unknown project keys fail here, naming the key; each role reads and checks the values of its own keys
 * ({@code TrainerConfig}, {@code ScorerConfig}), again naming the key of a bad value.
 */
public final class ConfigLoader {

    public static final String KAFKA_PREFIX = "kafka.";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String ENV_PREFIX = "REWARDSTREAM_";
    private static final String KAFKA_ENV_PREFIX = "KAFKA_";
    private static final Set<String> KAFKA_ENV_IGNORED = Set.of("KAFKA_HOME", "KAFKA_VERSION");

    private ConfigLoader() {
    }

    /**
     * @param file      properties file, or null
     * @param env       environment variables
     * @param overrides command-line values under project keys or {@code kafka.} keys (win over everything)
     */
    public static RewardStreamConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Layered layered = layered(file, env, overrides);
        return build(layered.values(), new LinkedHashMap<>(layered.kafka()));
    }

    /**
     * The layered values before a cluster is required: for a command that may run without Kafka ({@code serve}).
     *
     * @param values project keys
     * @param kafka  Kafka settings given (with the project's Kafka defaults)
     */
    public record Layered(KeyValues values, Map<String, Object> kafka) {

        /** Whether bootstrap servers were given (command line, file or KAFKA_BOOTSTRAP_SERVERS). */
        public boolean namesACluster() {
            return kafka.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
    }

    /** As {@link #load}, without requiring a cluster and a registry: see {@link Layered}. */
    public static Layered layered(Path file, Map<String, String> env, Map<String, String> overrides) {
        Layers layers = new Layers();
        if (file != null) {
            readFile(file).forEach((key, value) -> layers.put(key, value, "in " + file));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                layers.put(fromEnv(name), value, "from " + name);
            } else if (name.startsWith(KAFKA_ENV_PREFIX) && !name.endsWith("_OPTS") && !KAFKA_ENV_IGNORED.contains(name)) {
                layers.kafka.put(name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                        value);
            }
        });
        overrides.forEach((key, value) -> layers.put(key, value, "on the command line"));
        return new Layered(new KeyValues(layers.values, layers.writtenAs), Map.copyOf(layers.kafka));
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }

    /** The values being layered: project keys, Kafka settings, and the deprecated spellings seen. */
    private static final class Layers {
        final Map<String, String> values = new LinkedHashMap<>(ConfigKeys.DEFAULTS);
        final Map<String, Object> kafka = new LinkedHashMap<>(ConfigKeys.KAFKA_DEFAULTS);
        final Map<String, String> writtenAs = new LinkedHashMap<>();

        void put(String key, String value, String where) {
            ConfigKeys.Deprecated old = ConfigKeys.DEPRECATED.get(key);
            if (old != null) {
                LOG.warn("Configuration key {} ({}) is deprecated; write {} instead", key, where, old.key());
                values.put(old.key(), old.value().apply(value));
                writtenAs.put(old.key(), key);
            } else if (key.startsWith(KAFKA_PREFIX)) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), value);
            } else if (ConfigKeys.DEFAULTS.containsKey(key) || key.startsWith(RewardStreamConfig.REGISTRY_PREFIX)) {
                values.put(key, value);
                writtenAs.remove(key);
            } else {
                throw new ConfigException(key, "(" + where + ") is unknown; known keys: "
                        + String.join(", ", ConfigKeys.DEFAULTS.keySet()) + ", kafka.* for Kafka settings and registry.*"
                        + " for the schema-registry client");
            }
        }
    }

    private static String fromEnv(String name) {
        String wanted = name.substring(ENV_PREFIX.length());
        if (wanted.startsWith("REGISTRY_")) {
            // Registry client keys contain only dots: REWARDSTREAM_REGISTRY_BASIC_AUTH_USER_INFO -> registry.basic.auth.user.info
            return wanted.toLowerCase(Locale.ROOT).replace('_', '.');
        }
        for (String key : ConfigKeys.DEFAULTS.keySet()) {
            if (envName(key).equals(wanted)) {
                return key;
            }
        }
        for (String key : ConfigKeys.DEPRECATED.keySet()) {
            if (envName(key).equals(wanted)) {
                return key;
            }
        }
        return name;
    }

    private static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static RewardStreamConfig build(KeyValues values, Map<String, Object> kafka) {
        kafka.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, values.string(ConfigKeys.APPLICATION_ID));
        kafka.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, values.string(ConfigKeys.STATE_DIR));
        if (!kafka.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new ConfigException("bootstrap.servers", "is required (--bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS)");
        }
        Topics topics;
        try {
            topics = new Topics(values.string("topics.preferences"), values.string("topics.responses"),
                    values.string("topics.rewards"), values.string("topics.models"), values.string("topics.metrics"),
                    values.string("topics.dead-letters"), values.string("topics.artifacts"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("topics.*", e.getMessage());
        }
        String registry = values.string(ConfigKeys.SCHEMA_REGISTRY_URL);
        if (registry.isBlank()) {
            throw new ConfigException(ConfigKeys.SCHEMA_REGISTRY_URL, "is required (--schema-registry-url)");
        }
        int partitions = values.integer(ConfigKeys.TOPICS_PARTITIONS);
        if (partitions < 1) {
            throw values.error(ConfigKeys.TOPICS_PARTITIONS, "must be at least 1");
        }
        return new RewardStreamConfig(topics, kafka, registry, partitions, values);
    }
}
