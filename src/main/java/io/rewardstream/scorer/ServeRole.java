package io.rewardstream.scorer;

import io.rewardstream.config.Connection;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.model.ModelLoader;
import io.rewardstream.model.PromptCache;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.http.ScorerHttpServer;
import io.rewardstream.scorer.http.ScorerStatus;
import io.rewardstream.scorer.http.ServingState;
import io.rewardstream.scorer.release.ReleaseFollower;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.RequestBatcher;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.scorer.serving.ScoringModel;
import io.rewardstream.status.StatusEvent;
import io.rewardstream.telemetry.Telemetry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve}: the scorer's HTTP face alone, for RLHF trainers that call a reward server. It serves a model
 * directory, or the promoted releases of a model followed on the models topic (hot swap and refusal of bad releases
 * as the scorer does), or both: the directory at once, then each newer release. No Kafka Streams client runs and no
 * response topic is read; while the broker is away the model in service keeps serving.
 */
public final class ServeRole implements ServingState, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServeRole.class);

    /**
     * Releases to follow.
     *
     * @param connection the cluster and registry (topics: only the models, artifacts and metrics topics are used)
     * @param source     whose releases, and the key they must be signed with (releases.verify-key), if any
     */
    public record Releases(Connection connection, ModelSource.Releases source) {

        /** Releases of {@code modelName}, signed or not. */
        public Releases(Connection connection, String modelName) {
            this(connection, new ModelSource.Releases(modelName));
        }
    }

    private final ScorerSettings settings;
    private final Health health;
    private final ModelHolder holder = new ModelHolder();
    private final Telemetry telemetry = new Telemetry("RewardStream serve");
    private final ScoringMetrics metrics;
    private final ModelLoader models;
    private final RequestBatcher batcher;
    private final ScorerHttpServer http;
    private volatile ReleaseFollower follower;
    private volatile Path directory;

    private ServeRole(ScorerSettings settings, Health health) {
        this.settings = settings;
        this.health = health;
        this.metrics = new ScoringMetrics(telemetry.registry(), holder, this::device);
        PromptCache prompts = new PromptCache(settings.encoding().promptEntries());
        this.models = settings.modelLoader(prompts);
        metrics.watch(prompts);
        this.batcher = new RequestBatcher(new BatchScorer(holder, metrics), settings.requestLimits());
        telemetry.board().add(new ScorerStatus(this, metrics, () -> 0, this::device));
        holder.onInstall(model -> telemetry.board().events().add(new StatusEvent(System.currentTimeMillis(),
                StatusEvent.MODEL, "v" + model.version() + " in service", "serve now scores with " + model.name()
                + " v" + model.version() + " on " + device())));
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
            telemetry.close();
            throw e;
        }
    }

    /**
     * Checks the device, opens the HTTP port (liveness answers at once, readiness says why it is not ready), loads
     * {@code model} when given and follows {@code releases} when given.
     *
     * @param model    a model directory to serve now, or null
     * @param releases releases to follow, or null
     * @throws IllegalArgumentException when neither is given
     * @throws IllegalStateException    when the device cannot be used or the model directory cannot be loaded
     */
    public static ServeRole start(ScorerSettings settings, Path model, Releases releases) {
        return start(settings, model, releases, new Health());
    }

    /**
     * As {@link #start(ScorerSettings, Path, Releases)}, reporting to {@code health}: readiness holds while it is
     * stopping, and liveness fails when the release follower dies.
     */
    public static ServeRole start(ScorerSettings settings, Path model, Releases releases, Health health) {
        if (model == null && releases == null) {
            throw new IllegalArgumentException("serve needs a model directory, releases to follow, or both");
        }
        DeviceCheck.check(settings.device());
        ServeRole role = new ServeRole(settings, health);
        if (model != null) {
            try {
                role.holder.install(ScoringModel.of(role.models.load(model)));
                role.directory = model;
            } catch (RuntimeException e) {
                role.close();
                throw new IllegalStateException("cannot load the model in " + model + ": " + e.getMessage(), e);
            }
        }
        if (releases != null) {
            try {
                role.follow(releases);
            } catch (RuntimeException e) {
                role.close();
                throw e;
            }
        }
        return role;
    }

    private void follow(Releases releases) {
        Connection connection = releases.connection();
        follower = ReleaseFollower.start(models, connection, settings.applicationId(), releases.source().modelName(),
                releases.source().verifier(), holder, SchemaRegistryClients.create(connection.registryClientConfig()),
                health);
        LOG.info("Following releases of {} on {} at {}{}", releases.source().modelName(),
                connection.topics().models(), connection.bootstrapServers(),
                releases.source().verifier() == null ? "" : ", signed ones only");
    }

    public String url() {
        return http.url();
    }

    public int httpPort() {
        return http.port();
    }

    public ModelHolder holder() {
        return holder;
    }

    /** Where the model in service runs: {@code cpu}, {@code cuda:N}, or why it is not known yet. */
    public String device() {
        return DeviceInUse.describe(settings.device());
    }

    @Override
    public Optional<String> notReadyReason() {
        Optional<String> process = health.notReadyReason();
        if (process.isPresent()) {
            return process;
        }
        Optional<String> model = holder.notReadyReason();
        ReleaseFollower f = follower;
        return f == null ? model : model.map(reason -> reason + "; releases: " + f.status());
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
        facts.put("role", "serve");
        Path dir = directory;
        if (dir != null) {
            facts.put("model_directory", dir.toString());
        }
        ReleaseFollower f = follower;
        if (f != null) {
            facts.put("releases", f.status());
        }
        facts.put("items_scored_http", (long) metrics.items(ScoringMetrics.HTTP));
        facts.put("batch_size", settings.batchSize());
        facts.put("max_batch_tokens", settings.maxBatchTokens());
        facts.put("linger_ms", settings.linger().toMillis());
        facts.put("reward", settings.openRlhf().scale().label());
        facts.put("device", device());
        holder.lastRefusal().ifPresent(r -> facts.put("last_refused_release", r));
        return facts;
    }

    /**
     * Readiness turns to "shutting down", the release follower stops, the queued requests are answered (up to
     * {@link RequestBatcher#DRAIN}), the port closes, then the models once their calls in flight return.
     */
    @Override
    public void close() {
        health.requestStop("serve is closing");
        ReleaseFollower f = follower;
        if (f != null) {
            f.close();
        }
        batcher.close();
        http.close();
        holder.close();
        telemetry.close();
    }
}
