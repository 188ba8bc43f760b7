package io.rewardstream.scorer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.encoder.EncoderPool;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.registry.CachingSchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.http.ScorerHttpServer;
import io.rewardstream.scorer.http.ServingState;
import io.rewardstream.scorer.release.ReleaseFollower;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.scorer.serving.ScoringModel;
import io.rewardstream.scorer.stream.ScorerStreamsConfig;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.scorer.stream.ScoringTopology;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.streams.TopicCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running scorer instance: the model holder and its source, the scoring topology on Kafka Streams (started
 * only once a model is in service, so no response is consumed before), the HTTP server and the metrics.
 */
public final class ScorerRole implements ServingState, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerRole.class);

    private final ScorerSettings settings;
    private final ModelLoader models;
    private final ModelHolder holder = new ModelHolder();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScoringMetrics metrics = new ScoringMetrics(registry, holder);
    private final RequestBatcher batcher;
    private final KafkaStreams streams;
    private final AtomicBoolean streamsStarted = new AtomicBoolean();
    private final ScorerHttpServer http;
    private final ReleaseFollower follower;
    private final Map<String, Supplier<Map<String, Object>>> sections = new ConcurrentSkipListMap<>();

    private ScorerRole(ScorerSettings settings, Connection connection, ModelSource source) {
        this.settings = settings;
        // One pool for every model this instance loads: releases of the same frozen encoder share its session.
        this.models = new ModelLoader(new EncoderPool(), settings.modelThreads(), settings.device());
        BatchScorer scorer = new BatchScorer(holder, metrics);
        this.batcher = new RequestBatcher(scorer, settings.batchSize(), settings.linger());
        CachingSchemaRegistryClient client = SchemaRegistryClients.create(connection.registryClientConfig());
        ScoringSerdes serdes = ScoringSerdes.of(client);
        var deadLetters = new DeadLetterHandler.Target(connection.topics().deadLetters(),
                serdes.deadLetters().serializer(), settings.applicationId(), metrics::deadLetter);
        this.streams = new KafkaStreams(ScoringTopology.build(settings.batching(), connection.topics(), serdes, scorer),
                StreamsProperties.of(connection, settings.applicationId(), deadLetters,
                        ScorerStreamsConfig.roleSettings(settings.linger())));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Scoring stream failed; shutting this client down so that it is restarted", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try {
            this.http = ScorerHttpServer.start(settings.http(), this, batcher, registry);
        } catch (RuntimeException e) {
            streams.close(Duration.ofSeconds(5));
            batcher.close();
            throw e;
        }
        holder.onInstall(model -> startStreamsOnce());
        this.follower = source instanceof ModelSource.Releases releases
                ? ReleaseFollower.start(models, connection,
                        settings.applicationId(), releases.modelName(), holder, client) : null;
    }

    /**
     * Starts a scorer: checks the device, starts the HTTP server, loads the model (a directory now, or the newest
     * release when it arrives) and starts consuming responses once a model is in service.
     *
     * @throws IllegalStateException when {@code scoring.device=cuda:N} cannot be used or the model directory
     *                               cannot be loaded
     */
    public static ScorerRole start(ScorerSettings settings, Connection connection, ModelSource source) {
        return start(settings, connection, source, false, 0);
    }

    /**
     * As {@link #start(ScorerSettings, Connection, ModelSource)}, creating missing topics (with {@code partitions}
     * partitions) when {@code createTopics} is set, as {@code --create-topics} asks.
     */
    public static ScorerRole start(ScorerSettings settings, Connection connection, ModelSource source,
                                   boolean createTopics, int partitions) {
        DeviceCheck.check(settings.device());
        ensureTopics(settings, connection, source, createTopics, partitions);
        ScorerRole role = new ScorerRole(settings, connection, source);
        if (source instanceof ModelSource.Directory dir) {
            try {
                role.holder.install(ScoringModel.of(role.models.load(dir.path())));
            } catch (RuntimeException e) {
                role.close();
                throw new IllegalStateException("cannot load the model in " + dir.path() + ": " + e.getMessage(), e);
            }
        }
        return role;
    }

    /**
     * Checks that the topics the scorer reads and writes exist; creates the missing ones when {@code create} is
     * set (with {@code partitions} partitions, the models topic compacted), otherwise fails naming them.
     *
     * @throws io.rewardstream.common.BadInputException when topics are missing and {@code create} is not set
     */
    public static void ensureTopics(ScorerSettings settings, Connection connection, ModelSource source,
                                    boolean create, int partitions) {
        Topics t = connection.topics();
        List<TopicCheck.Required> required = new ArrayList<>(List.of(new TopicCheck.Required(t.responses(), false),
                new TopicCheck.Required(t.rewards(), false), new TopicCheck.Required(t.deadLetters(), false),
                new TopicCheck.Required(t.metrics(), false)));
        if (source instanceof ModelSource.Releases) {
            required.add(new TopicCheck.Required(t.models(), true));
            required.add(new TopicCheck.Required(t.artifacts(), true));
        }
        try (Admin admin = StreamsProperties.admin(connection, settings.applicationId(),
                settings.applicationId() + "-topic-check")) {
            TopicCheck.ensure(admin, required, create, partitions);
        }
    }

    private void startStreamsOnce() {
        if (streamsStarted.compareAndSet(false, true)) {
            LOG.info("A model is in service: consuming responses");
            streams.start();
        }
    }

    public ModelHolder holder() {
        return holder;
    }

    public String applicationId() {
        return settings.applicationId();
    }

    public String statusUrl() {
        return http.url();
    }

    public int httpPort() {
        return http.port();
    }

    public KafkaStreams.State streamsState() {
        return streams.state();
    }

    @Override
    public Optional<String> notReadyReason() {
        Optional<String> model = holder.notReadyReason();
        if (model.isPresent()) {
            return model;
        }
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || (streamsStarted.get() && state == KafkaStreams.State.NOT_RUNNING)) {
            return Optional.of("the scoring stream is " + state);
        }
        return Optional.empty();
    }

    @Override
    public Optional<ScoringModel> model() {
        return holder.current();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("stream_state", streams.state().toString());
        facts.put("items_scored_stream", (long) metrics.items(ScoringMetrics.STREAM));
        facts.put("items_scored_http", (long) metrics.items(ScoringMetrics.HTTP));
        facts.put("batch_size", settings.batchSize());
        facts.put("linger_ms", settings.linger().toMillis());
        facts.put("device", settings.device().toString());
        holder.lastRefusal().ifPresent(r -> facts.put("last_refused_release", r));
        return facts;
    }

    /** Adds a titled table to the status page, read each time the page is shown. */
    public void addStatusSection(String title, Supplier<Map<String, Object>> facts) {
        sections.put(title, facts);
    }

    @Override
    public Map<String, Map<String, Object>> sections() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        sections.forEach((title, facts) -> out.put(title, facts.get()));
        return out;
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        // Leaving the group hands this instance's partitions to the others at once instead of after a session timeout.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        http.close();
        batcher.close();
        holder.close();
        registry.close();
    }
}
