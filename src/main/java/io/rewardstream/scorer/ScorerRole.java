package io.rewardstream.scorer;

import io.rewardstream.scorer.http.ScorerStatus;
import io.rewardstream.status.StatusEvent;
import io.rewardstream.telemetry.Telemetry;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.lifecycle.StartupRetry;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.model.PromptCache;
import io.rewardstream.registry.CachingSchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.http.ScorerHttpServer;
import io.rewardstream.scorer.http.ServingState;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.scorer.serving.ScoringModel;
import io.rewardstream.streams.StartupChecks;
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
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running scorer instance: the model holder, the HTTP face (opened first, so that health and readiness answer
 * while Kafka or the registry is still being waited for), then the Kafka side ({@link ScorerKafka}) and the model.
 *
 * <p>Closing keeps this order: readiness turns to "shutting down", no release is swapped in any more, queued HTTP
 * requests are scored (up to {@link RequestBatcher#DRAIN}) and new ones refused, the scoring stream closes (its batch
 * in flight finishes and commits), the HTTP port closes, and the models close last, each once its calls in flight
 * have returned.
 */
public final class ScorerRole implements ServingState, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerRole.class);
    /** Longest the scoring stream may take to close. */
    static final Duration STREAM_CLOSE = Duration.ofSeconds(30);
    /** The longest {@link #close} takes: the HTTP drain, then the stream; k8s/ gives the pods a longer grace period. */
    public static final Duration CLOSE_TIMEOUT = RequestBatcher.DRAIN.plus(STREAM_CLOSE);

    private final ScorerSettings settings;
    private final Health health;
    private final ModelLoader models;
    private final PromptCache prompts;
    private final ModelHolder holder = new ModelHolder();
    private final Telemetry telemetry;
    private final boolean ownsTelemetry;
    private final ScoringMetrics metrics;
    private final BatchScorer scorer;
    private final RequestBatcher batcher;
    private final ScorerHttpServer http;
    private final Map<String, Supplier<Map<String, Object>>> sections = new ConcurrentSkipListMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ScorerKafka kafka;
    private volatile String responsesTopic;

    private ScorerRole(ScorerSettings settings, Health health, Telemetry shared) {
        this.settings = settings;
        this.health = health;
        this.ownsTelemetry = shared == null;
        this.telemetry = shared == null ? new Telemetry("RewardStream scorer") : shared;
        this.metrics = new ScoringMetrics(telemetry.registry(), holder, this::device);
        this.scorer = new BatchScorer(holder, metrics);
        this.prompts = new PromptCache(settings.encoding().promptEntries());
        this.models = settings.modelLoader(prompts);
        metrics.watch(prompts);
        this.batcher = new RequestBatcher(scorer, settings.requestLimits());
        telemetry.board().add(new ScorerStatus(this, metrics, this::lag, this::device));
        holder.onInstall(model -> telemetry.board().events().add(new StatusEvent(System.currentTimeMillis(),
                StatusEvent.MODEL, "v" + model.version() + " in service", "the scorer now scores with "
                + model.name() + " v" + model.version() + " on " + device())));
        holder.onRefusal(refusal -> {
            metrics.refusedRelease();
            telemetry.board().events().add(new StatusEvent(System.currentTimeMillis(), StatusEvent.REFUSED,
                    "release refused", refusal));
        });
        try {
            this.http = ScorerHttpServer.start(settings.http(), this, batcher, telemetry, settings.texts(),
                    settings.openRlhf());
        } catch (RuntimeException e) {
            batcher.close();
            if (ownsTelemetry) {
                telemetry.close();
            }
            throw e;
        }
    }

    /**
     * Checks the device and opens the HTTP face: liveness answers at once, readiness says what the instance waits
     * for. {@link #connect} does the rest.
     *
     * @throws IllegalStateException when {@code scoring.device=cuda:N} cannot be used
     */
    public static ScorerRole open(ScorerSettings settings, Health health) {
        return open(settings, health, null);
    }

    /**
     * As {@link #open(ScorerSettings, Health)}, with the scorer's meters and status page part of {@code telemetry}
     * (shared with a trainer in the same process), or of its own when null.
     */
    public static ScorerRole open(ScorerSettings settings, Health health, Telemetry telemetry) {
        DeviceCheck.check(settings.device());
        return new ScorerRole(settings, health, telemetry);
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
        return start(settings, connection, source, createTopics, partitions, null);
    }

    /**
     * As {@link #start(ScorerSettings, Connection, ModelSource, boolean, int)}, with the scorer's meters and status
     * page part of {@code telemetry} (shared with a trainer in the same process), or of its own when null.
     */
    public static ScorerRole start(ScorerSettings settings, Connection connection, ModelSource source,
                                   boolean createTopics, int partitions, Telemetry telemetry) {
        ScorerRole role = open(settings, new Health(), telemetry);
        try {
            role.connect(connection, source, createTopics, partitions, StartupRetry.defaults());
            return role;
        } catch (RuntimeException e) {
            role.close();
            throw e;
        }
    }

    /**
     * Waits for the cluster (checking or creating the topics) and the registry, retrying while they cannot be
     * reached, then builds the scoring stream and puts the model in service: a directory's at once, or the newest
     * release when it arrives.
     *
     * @throws StartupRetry.Stopped  when a stop is asked for while waiting
     * @throws IllegalStateException when the model directory cannot be loaded
     */
    public void connect(Connection connection, ModelSource source, boolean createTopics, int partitions,
                        StartupRetry retry) {
        StartupChecks.topics(health, retry, connection, settings.applicationId(),
                requiredTopics(connection.topics(), source), createTopics, partitions);
        CachingSchemaRegistryClient client = SchemaRegistryClients.create(connection.registryClientConfig());
        StartupChecks.registry(health, retry, client, connection.registryUrl(), connection.topics().rewards()
                + "-value");
        ModelSource.Releases releases = source instanceof ModelSource.Releases r ? r : null;
        synchronized (closed) {
            if (closed.get()) {
                throw new StartupRetry.Stopped("the scoring stream");
            }
            responsesTopic = connection.topics().responses();
            kafka = ScorerKafka.build(settings, connection, client, scorer, models, releases, health,
                    telemetry.registry());
        }
        if (source instanceof ModelSource.Directory dir) {
            try {
                holder.install(ScoringModel.of(models.load(dir.path())));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot load the model in " + dir.path() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Checks that the topics the scorer reads and writes exist; creates the missing ones when {@code create} is
     * set (with {@code partitions} partitions, the models topic compacted), otherwise fails naming them.
     *
     * @throws io.rewardstream.common.BadInputException when topics are missing and {@code create} is not set
     */
    public static void ensureTopics(ScorerSettings settings, Connection connection, ModelSource source,
                                    boolean create, int partitions) {
        StartupChecks.topics(new Health(), StartupRetry.defaults(), connection, settings.applicationId(),
                requiredTopics(connection.topics(), source), create, partitions);
    }

    private static List<TopicCheck.Required> requiredTopics(Topics t, ModelSource source) {
        List<TopicCheck.Required> required = new ArrayList<>(List.of(new TopicCheck.Required(t.responses(), false),
                new TopicCheck.Required(t.rewards(), false), new TopicCheck.Required(t.deadLetters(), false),
                new TopicCheck.Required(t.metrics(), false)));
        if (source instanceof ModelSource.Releases) {
            required.add(new TopicCheck.Required(t.models(), true));
            required.add(new TopicCheck.Required(t.artifacts(), true));
        }
        return required;
    }

    public ModelHolder holder() {
        return holder;
    }

    public Health health() {
        return health;
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

    /** The scoring stream's state; CREATED until the stream is built and a model is in service. */
    public KafkaStreams.State streamsState() {
        ScorerKafka k = kafka;
        return k == null ? KafkaStreams.State.CREATED : k.state();
    }

    @Override
    public Optional<String> notReadyReason() {
        Optional<String> process = health.notReadyReason();
        if (process.isPresent()) {
            return process;
        }
        return holder.notReadyReason();
    }

    @Override
    public Optional<String> deadReason() {
        return health.deadReason();
    }

    @Override
    public Optional<ScoringModel> model() {
        return holder.current();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("stream_state", streamsState().toString());
        facts.put("items_scored_stream", (long) metrics.items(ScoringMetrics.STREAM));
        facts.put("items_scored_http", (long) metrics.items(ScoringMetrics.HTTP));
        facts.put("batch_size", settings.batchSize());
        facts.put("linger_ms", settings.linger().toMillis());
        facts.put("device", device());
        facts.put("device setting (scoring.device)", settings.device().toString());
        facts.put("precision (scoring.precision, CPU only)", settings.encoding().precision().label());
        facts.put("prompt cache", prompts.size() + " of " + prompts.capacity() + " prompts, " + prompts.hits()
                + " hits, " + prompts.misses() + " misses");
        holder.lastRefusal().ifPresent(r -> facts.put("last_refused_release", r));
        return facts;
    }

    /** Where the model in service actually runs: {@code cpu}, {@code cuda:N}, or why it is not known yet. */
    public String device() {
        return DeviceInUse.describe(settings.device());
    }

    /** Records the scoring stream is behind on the responses topic; 0 before it is built. */
    private double lag() {
        ScorerKafka k = kafka;
        String topic = responsesTopic;
        return k == null || topic == null ? 0 : k.lag(topic);
    }

    /** The meters and status board the scorer reports to. */
    public Telemetry telemetry() {
        return telemetry;
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

    /** Stops in the order of the class comment. */
    @Override
    public void close() {
        ScorerKafka k;
        synchronized (closed) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            k = kafka;
        }
        health.requestStop("the scorer is closing");
        LOG.info("Scorer stopping: no new work, draining the calls in flight");
        if (k != null) {
            k.stopFollowing();
        }
        batcher.close();
        boolean streamClosed = k == null || k.closeStream(STREAM_CLOSE);
        http.close();
        holder.close();
        if (k != null) {
            k.closeMeters();
        }
        if (ownsTelemetry) {
            telemetry.close();
        }
        LOG.info("Scorer stopped{}", streamClosed ? "" : " (its stream did not close in time)");
    }
}
