package io.rewardstream.scorer;

import io.micrometer.core.instrument.MeterRegistry;
import io.rewardstream.streams.StreamsMeters;

import io.rewardstream.config.Connection;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.registry.CachingSchemaRegistryClient;
import io.rewardstream.scorer.release.ReleaseFollower;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.stream.ScorerStreamsConfig;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.scorer.stream.ScoringTopology;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.streams.StreamsWatch;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorer's Kafka side: the scoring stream (started only once a model is in service, so that no response is
 * consumed before) and, when releases are followed, the release follower. Built once start-up checks passed.
 */
final class ScorerKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerKafka.class);
    static final String STREAM = "the scoring stream";

    private final KafkaStreams streams;
    private final ReleaseFollower follower;
    private final StreamsMeters meters;
    private final AtomicBoolean started = new AtomicBoolean();

    private ScorerKafka(KafkaStreams streams, ReleaseFollower follower, StreamsMeters meters) {
        this.streams = streams;
        this.follower = follower;
        this.meters = meters;
    }

    /**
     * @param releases follow these releases on the models topic; null when a model directory is served
     */
    static ScorerKafka build(ScorerSettings settings, Connection connection, CachingSchemaRegistryClient client,
                             BatchScorer scorer, ModelLoader models, ModelSource.Releases releases, Health health,
                             MeterRegistry registry) {
        ScoringSerdes serdes = ScoringSerdes.of(client).metered(registry, connection.topics());
        var deadLetters = new DeadLetterHandler.Target(connection.topics().deadLetters(),
                serdes.deadLetters().serializer(), settings.applicationId(), () -> { });
        KafkaStreams streams = new KafkaStreams(
                ScoringTopology.build(settings.batching(), connection.topics(), serdes, scorer),
                StreamsProperties.of(connection, settings.applicationId(), deadLetters,
                        ScorerStreamsConfig.roleSettings(settings.linger(), settings.batchesInFlight())));
        StreamsWatch.attach(streams, STREAM, health);
        ModelHolder holder = scorer.holder();
        ReleaseFollower follower = null;
        if (releases != null) {
            try {
                follower = ReleaseFollower.start(models, connection, settings.applicationId(), releases.modelName(),
                        releases.verifier(), holder, client, health);
            } catch (RuntimeException e) {
                streams.close(Duration.ofSeconds(5));
                throw e;
            }
        }
        ScorerKafka kafka = new ScorerKafka(streams, follower, StreamsMeters.bind(streams, registry, "scorer"));
        holder.onInstall(model -> kafka.startOnce());
        return kafka;
    }

    private void startOnce() {
        if (started.compareAndSet(false, true)) {
            LOG.info("A model is in service: consuming responses");
            streams.start();
        }
    }

    KafkaStreams.State state() {
        return streams.state();
    }

    /** Records the scoring stream is behind on {@code topic}. */
    double lag(String topic) {
        return meters.lag(topic);
    }

    /** Unbinds the stream's meters (after the stream closed). */
    void closeMeters() {
        meters.close();
    }

    /** Stops following releases, so that no model is swapped in while the instance stops. */
    void stopFollowing() {
        if (follower != null) {
            follower.close();
        }
    }

    /**
     * Closes the scoring stream within {@code timeout}: the batch being scored finishes and commits, and the
     * instance leaves its group so that its partitions go to the others at once.
     *
     * @return true when the stream closed in time (no stream thread can still be scoring)
     */
    boolean closeStream(Duration timeout) {
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(timeout));
        if (!closed) {
            LOG.error("{} did not close within {} s", STREAM, timeout.toSeconds());
        }
        return closed;
    }

    @Override
    public void close() {
        stopFollowing();
        closeStream(Duration.ofSeconds(30));
        closeMeters();
    }
}
