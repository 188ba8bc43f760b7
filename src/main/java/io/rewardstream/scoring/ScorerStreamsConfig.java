package io.rewardstream.scoring;

import io.rewardstream.deadletter.DeadLetterHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** Kafka Streams properties of the scoring application. */
public final class ScorerStreamsConfig {

    private ScorerStreamsConfig() {
    }

    /**
     * Exactly-once v2, acks=all, explicit naming enforced, the dead-letter handler with its injected target, and
     * a commit interval of the linger time bounded to [10 ms, 100 ms] (see {@link #commitIntervalMs}).
     *
     * @param overrides further Kafka settings (e.g. replication.factor, security), applied last
     */
    /**
     * Rewards become visible to read_committed consumers when their transaction commits, so the commit interval
     * follows a short linger (down to 10 ms) but never exceeds exactly-once's default of 100 ms: a long linger
     * must not hold finished rewards back, nor outlast the producer's transaction timeout.
     */
    static long commitIntervalMs(ScorerSettings settings) {
        return Math.min(100L, Math.max(10L, settings.linger().toMillis()));
    }

    public static Properties of(ScorerSettings settings, String bootstrapServers, Path stateDir,
                                DeadLetterHandler.Target deadLetters, Map<String, ?> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs(settings));
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TARGET_CONFIG, deadLetters);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(overrides);
        return props;
    }
}
