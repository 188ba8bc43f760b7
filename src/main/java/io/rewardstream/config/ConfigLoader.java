package io.rewardstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Layered configuration: built-in defaults, then a properties file (--config), then environment variables
 * (REWARDSTREAM_TRAINING_MIN_PAIRS for training.min-pairs; KAFKA_MAX_POLL_RECORDS for the Kafka setting
 * max.poll.records), then the command line. In the file, Kafka settings carry the prefix {@code kafka.}.
 * Unknown project keys and bad values fail with a message naming the key.
 */
public final class ConfigLoader {

    public static final String KAFKA_PREFIX = "kafka.";
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
        Map<String, String> values = new LinkedHashMap<>(ConfigKeys.DEFAULTS);
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        kafka.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // Opt in now to what Kafka Streams 5.0 makes the default (and stop its warning at every start).
        kafka.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        if (file != null) {
            readFile(file).forEach((key, value) -> put(values, kafka, key, value, "in " + file));
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX)) {
                put(values, kafka, fromEnv(name), value, "from " + name);
            } else if (name.startsWith(KAFKA_ENV_PREFIX) && !name.endsWith("_OPTS") && !KAFKA_ENV_IGNORED.contains(name)) {
                kafka.put(name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        overrides.forEach((key, value) -> put(values, kafka, key, value, "on the command line"));
        return build(values, kafka);
    }

    private static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw ConfigException.of("--config", "cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }

    private static void put(Map<String, String> values, Map<String, Object> kafka, String key, String value,
                            String where) {
        if (key.startsWith(KAFKA_PREFIX)) {
            kafka.put(key.substring(KAFKA_PREFIX.length()), value);
        } else if (ConfigKeys.DEFAULTS.containsKey(key) || key.startsWith(RewardStreamConfig.REGISTRY_PREFIX)) {
            values.put(key, value);
        } else {
            throw ConfigException.of(key, "(" + where + ") is unknown; known keys: "
                    + String.join(", ", ConfigKeys.DEFAULTS.keySet()) + ", kafka.* for Kafka settings and registry.* for the"
                    + " schema-registry client");
        }
    }

    private static String fromEnv(String name) {
        String wanted = name.substring(ENV_PREFIX.length());
        if (wanted.startsWith("REGISTRY_")) {
            // Registry client keys contain only dots: REWARDSTREAM_REGISTRY_BASIC_AUTH_USER_INFO -> registry.basic.auth.user.info
            return wanted.toLowerCase(Locale.ROOT).replace('_', '.');
        }
        for (String key : ConfigKeys.DEFAULTS.keySet()) {
            if (key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').equals(wanted)) {
                return key;
            }
        }
        return name;
    }

    private static RewardStreamConfig build(Map<String, String> v, Map<String, Object> kafka) {
        ConfigValuesReader r = new ConfigValuesReader(v);
        String applicationId = r.string(ConfigKeys.APPLICATION_ID);
        kafka.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        kafka.put(StreamsConfig.STATE_DIR_CONFIG, kafka.getOrDefault(StreamsConfig.STATE_DIR_CONFIG,
                r.string(ConfigKeys.STATE_DIR)));
        if (!kafka.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw ConfigException.of("bootstrap.servers", "is required (--bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS)");
        }
        Topics topics = new Topics(r.string("topics.preferences"), r.string("topics.responses"),
                r.string("topics.rewards"), r.string("topics.models"), r.string("topics.metrics"),
                r.string("topics.dead-letters"));
        TrainerSettings trainer = new TrainerSettings(r.string("model.name"), r.duration("training.interval"),
                r.integer("training.min-pairs"), r.integer("training.min-new-pairs"), r.duration("training.window"),
                r.decimal("training.holdout-fraction"), r.integer("training.seed"), r.decimal("gate.tolerance"),
                r.decimal("gate.min-accuracy"), r.duration("prequential.window"), r.duration("prequential.advance"),
                r.decimal("drift.delta"), r.decimal("drift.lambda"), r.integer("drift.min-pairs"),
                r.bool("drift.retrain"), r.integer("training.encode-batch"), r.duration("training.encode-linger"));
        EncoderSettings encoder = new EncoderSettings(r.string("encoder.name"), r.integer("encoder.max-length"),
                r.integer("encoder.threads"));
        String registry = r.string(ConfigKeys.SCHEMA_REGISTRY_URL);
        if (registry.isBlank()) {
            throw ConfigException.of(ConfigKeys.SCHEMA_REGISTRY_URL, "is required (--schema-registry-url)");
        }
        int partitions = r.integer("topics.partitions");
        if (partitions < 1) {
            throw ConfigException.of("topics.partitions", "must be at least 1");
        }
        return new RewardStreamConfig(topics, trainer, encoder, kafka, registry, partitions, v);
    }

    /** Typed reads that name the key on a bad value. */
    private record ConfigValuesReader(Map<String, String> values) {

        String string(String key) {
            return values.get(key);
        }

        int integer(String key) {
            try {
                return Integer.parseInt(values.get(key).trim());
            } catch (NumberFormatException e) {
                throw ConfigException.of(key, "has value '" + values.get(key) + "', not an integer");
            }
        }

        double decimal(String key) {
            try {
                return Double.parseDouble(values.get(key).trim());
            } catch (NumberFormatException e) {
                throw ConfigException.of(key, "has value '" + values.get(key) + "', not a number");
            }
        }

        boolean bool(String key) {
            String value = values.get(key).trim().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw ConfigException.of(key, "has value '" + values.get(key) + "', not true or false");
            }
            return Boolean.parseBoolean(value);
        }

        Duration duration(String key) {
            return Durations.parse(key, values.get(key));
        }
    }
}
