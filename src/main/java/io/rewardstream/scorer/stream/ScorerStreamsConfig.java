package io.rewardstream.scorer.stream;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings the scoring application adds to the shared ones ({@code StreamsProperties}). */
public final class ScorerStreamsConfig {

    private ScorerStreamsConfig() {
    }

    /**
     * The commit interval of {@link #commitIntervalMs}, the poll time of {@link #pollMs} and the stream producer's
     * retry backoff of {@link #producerRetryBackoffMs}.
     */
    public static Map<String, Object> roleSettings(Duration linger) {
        return roleSettings(linger, 0);
    }

    /**
     * The same for a scorer that scores {@code batchesInFlight} batches off its stream thread: then the commit
     * interval is exactly-once's default of 100 ms. The stream thread, free while the model runs, otherwise reached a
     * linger-long interval between batches and committed responses that were only buffered: a commit per 1.4 to 1.6
     * responses at low load, against 4 to 5.6 on the stream thread. The rewards of a lingering batch still commit as
     * soon as they are forwarded; those of full batches (a busy scorer) wait for the interval.
     */
    public static Map<String, Object> roleSettings(Duration linger, int batchesInFlight) {
        return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, batchesInFlight > 0 ? 100L : commitIntervalMs(linger),
                StreamsConfig.POLL_MS_CONFIG, pollMs(linger),
                StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), producerRetryBackoffMs(linger));
    }

    /**
     * How long the stream thread waits in a poll for new responses: a quarter of the linger (at least 1 ms, at most
     * Kafka's default of 100 ms). The wall-clock punctuator that scores a lingering batch, and the commit that makes
     * its rewards visible, run only between polls: with the default 100 ms a response arriving alone at low load
     * waited up to 100 ms past its linger, the main cause of a p99 latency several times the median.
     */
    static long pollMs(Duration linger) {
        return quarterOf(linger, 1L);
    }

    /**
     * How long the stream thread's producer waits before it repeats a transactional request the broker refused for
     * now: a quarter of the linger, at least 5 ms, at most Kafka's default of 100 ms. Every commit adds this scorer's
     * offsets to a new transaction just after the previous one ended; a coordinator still writing that one's commit
     * markers refuses with a retriable error (CONCURRENT_TRANSACTIONS, inferred rather than logged), and the producer
     * retries after this backoff with the stream thread blocked in the commit. With the default 100 ms those retries
     * were the longest stalls of a scorer at half load (commits of up to 160 ms against 3.7 ms on average) and set its
     * p99 latency; docs/scorer.md has the measurements. The client repeats these requests at a fixed interval, not a
     * growing one, hence the 5 ms floor: a coordinator that stays busy is asked at most 200 times a second per stream
     * thread.
     */
    static long producerRetryBackoffMs(Duration linger) {
        return quarterOf(linger, 5L);
    }

    /** A quarter of the linger in ms, at least {@code floorMs}, at most Kafka's default of 100 ms for either use. */
    private static long quarterOf(Duration linger, long floorMs) {
        return Math.min(100L, Math.max(floorMs, linger.toMillis() / 4));
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
