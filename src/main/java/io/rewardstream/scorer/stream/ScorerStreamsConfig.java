package io.rewardstream.scorer.stream;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings the scoring application adds to the shared ones ({@code StreamsProperties}). */
public final class ScorerStreamsConfig {

    private ScorerStreamsConfig() {
    }

    /** The commit interval of {@link #commitIntervalMs}. */
    public static Map<String, Object> roleSettings(Duration linger) {
        return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs(linger));
    }

    /**
     * Rewards become visible to read_committed consumers when their transaction commits, so the commit interval
     * follows a short linger (down to 10 ms) but never exceeds exactly-once's default of 100 ms: a long linger
     * must not hold finished rewards back, nor outlast the producer's transaction timeout.
     */
    static long commitIntervalMs(Duration linger) {
        return Math.min(100L, Math.max(10L, linger.toMillis()));
    }
}
