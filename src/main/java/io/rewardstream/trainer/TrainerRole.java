package io.rewardstream.trainer;

import io.rewardstream.artifacts.ArtifactReader;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.config.Connection;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.lifecycle.StartupRetry;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.finetune.PyTorchRuntime;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.signing.ReleaseSigner;
import io.rewardstream.streams.StartupChecks;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.streams.StreamsWatch;
import io.rewardstream.streams.TopicCheck;
import io.rewardstream.trainer.http.TrainerHttpServer;
import io.rewardstream.trainer.retrain.FineTuneJob;
import io.rewardstream.trainer.retrain.LiveRelease;
import io.rewardstream.trainer.retrain.RecipeFineTuner;
import io.rewardstream.trainer.retrain.RetrainSetup;
import io.rewardstream.trainer.stream.ProcessingDeadLetterHandler;
import io.rewardstream.trainer.stream.TrainerSerdes;
import io.rewardstream.trainer.telemetry.TrainerMeters;
import io.rewardstream.trainer.telemetry.TrainerStatus;
import io.rewardstream.telemetry.Telemetry;
import io.rewardstream.status.StatusSource;
import io.rewardstream.streams.StreamsMeters;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trainer role: waits for the cluster (checking topics) and the registry, loads the encoder, builds the
 * topology and starts Kafka Streams. Anything unexpected shuts the client down and reports the process dead
 * ({@link StreamsWatch}), so that the orchestrator restarts it.
 *
 * <p>Closing keeps this order: the training stream closes (the batch being encoded finishes and commits, a running
 * fine-tune is asked to return), the retrain threads are given {@link #JOBS_CLOSE} to end, then the artifact reader
 * and the encoder close, the encoder's session once its calls in flight have returned.
 */
public final class TrainerRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerRole.class);

    /** Longest the read of the live release's trained encoder from the artifacts topic may take. */
    private static final Duration ARTIFACT_TIMEOUT = Duration.ofMinutes(5);
    /** Longest the training stream may take to close. */
    static final Duration STREAM_CLOSE = Duration.ofSeconds(60);
    /** Longest a retrain or fine-tune in progress may take to end once the stream has closed. */
    static final Duration JOBS_CLOSE = Duration.ofSeconds(30);
    static final String STREAM = "the training stream";
    /** The longest {@link #close} takes (stream, then jobs); k8s/ gives the pods a longer grace period. */
    public static final Duration CLOSE_TIMEOUT = STREAM_CLOSE.plus(JOBS_CLOSE);

    private final TextEncoder encoder;
    private final List<ExecutorService> trainings;
    private final ArtifactReader artifacts;
    private final KafkaStreams streams;
    private final Health health;
    private final Telemetry telemetry;
    private final boolean ownsTelemetry;
    private final StreamsMeters streamsMeters;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TrainerRole(TextEncoder encoder, List<ExecutorService> trainings, ArtifactReader artifacts,
                        KafkaStreams streams, Health health, Telemetry telemetry, boolean ownsTelemetry,
                        TrainerMeters meters, String preferences) {
        this.encoder = encoder;
        this.trainings = trainings;
        this.artifacts = artifacts;
        this.streams = streams;
        this.health = health;
        this.telemetry = telemetry;
        this.ownsTelemetry = ownsTelemetry;
        this.streamsMeters = StreamsMeters.bind(streams, telemetry.registry(), "trainer");
        telemetry.board().add(new TrainerStatus(meters, telemetry.registry(), preferences,
                () -> health.notReadyReason().map(StatusSource.Readiness::no).orElse(StatusSource.Readiness.yes()),
                () -> streams.state().toString(), () -> streamsMeters.lag(preferences)));
    }

    /** Checks topics, loads the encoder and builds the client; {@link #start} starts it. */
    public static TrainerRole create(RewardStreamConfig config, boolean createTopics) {
        return create(config, createTopics, new Health(), StartupRetry.defaults());
    }

    /**
     * As {@link #create(RewardStreamConfig, boolean)}, waiting for an unreachable cluster or registry as
     * {@code retry} says, and reporting to {@code health}, which the process's HTTP port shows.
     *
     * @throws StartupRetry.Stopped when a stop is asked for while waiting
     */
    public static TrainerRole create(RewardStreamConfig config, boolean createTopics, Health health,
                                     StartupRetry retry) {
        return create(config, createTopics, health, retry, null);
    }

    /**
     * As {@link #create(RewardStreamConfig, boolean, Health, StartupRetry)}, with the trainer's meters and status
     * page part of {@code shared} (a scorer or an HTTP port of the same process shows them), or of its own when
     * null.
     */
    public static TrainerRole create(RewardStreamConfig config, boolean createTopics, Health health,
                                     StartupRetry retry, Telemetry shared) {
        Telemetry telemetry = shared == null ? new Telemetry("RewardStream trainer") : shared;
        try {
            return create(config, createTopics, health, retry, telemetry, shared == null);
        } catch (RuntimeException e) {
            if (shared == null) {
                telemetry.close();
            }
            throw e;
        }
    }

    private static TrainerRole create(RewardStreamConfig config, boolean createTopics, Health health,
                                      StartupRetry retry, Telemetry telemetry, boolean ownsTelemetry) {
        TrainerSettings settings = TrainerConfig.settings(config);
        EncoderSettings e = TrainerConfig.encoder(config);
        ReleaseSigner signer = TrainerConfig.signer(config);
        Connection connection = config.connection();
        String applicationId = config.applicationId();
        var t = connection.topics();
        StartupChecks.topics(health, retry, connection, applicationId, List.of(
                new TopicCheck.Required(t.preferences(), false), new TopicCheck.Required(t.models(), true),
                new TopicCheck.Required(t.metrics(), false), new TopicCheck.Required(t.deadLetters(), false),
                new TopicCheck.Required(t.artifacts(), true)), createTopics, config.createPartitions());
        SchemaRegistryClient registry = SchemaRegistryClients.create(connection.registryClientConfig());
        StartupChecks.registry(health, retry, registry, connection.registryUrl(), t.preferences() + "-value");
        TrainerMeters meters = new TrainerMeters(telemetry.registry(), telemetry.board().events());
        TrainerSerdes serdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults())
                .metered(telemetry.registry(), connection.topics());
        Properties props = StreamsProperties.of(connection, applicationId, new DeadLetterHandler.Target(
                connection.topics().deadLetters(), serdes.deadLetters().serializer(), applicationId, () -> { }),
                Map.of(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingDeadLetterHandler.class));
        TextEncoder encoder = TextEncoder.load(EncoderSource.resolve(e.name()), e.threads(),
                TextEncoder.DEFAULT_BATCH_SIZE);
        ExecutorService training = daemonExecutor("trainer-retrain");
        ExecutorService fineTuning = daemonExecutor("trainer-fine-tune");
        ArtifactReader artifacts = artifactReader(connection, applicationId, registry);
        FineTuneJob fineTune = null;
        if (settings.fineTunes()) {
            PyTorchRuntime.useDevice(settings.device());
            RecipeFineTuner tuner = RecipeFineTuner.of(EncoderSource.resolve(e.name()), settings.encoderTraining(),
                    e.maxLength(), settings.seed(), e.threads());
            fineTune = new FineTuneJob(tuner, settings.seed(), e.maxLength(), e.threads());
        }
        RetrainSetup setup = new RetrainSetup(new FeatureExtractor(encoder, FeatureLayout.SEPARATE, e.maxLength()),
                TrainingOptions.defaults(settings.seed()), fineTune, release -> {
                    synchronized (artifacts) {
                        return LiveRelease.of(release, artifacts, e.threads());
                    }
                }, signer);
        Topology topology = TrainerTopology.build(props, connection.topics(), settings, serdes, setup, training,
                fineTuning, meters);
        LOG.debug("Trainer topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, props);
        StreamsWatch.attach(streams, STREAM, health);
        LOG.info("Trainer built (application {}, state in {})", applicationId, connection.stateDir());
        return new TrainerRole(encoder, List.of(training, fineTuning), artifacts, streams, health, telemetry,
                ownsTelemetry, meters, connection.topics().preferences());
    }

    private static ExecutorService daemonExecutor(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Reads the trained encoder of the release in service back from the artifacts topic after a restart. */
    private static ArtifactReader artifactReader(Connection connection, String applicationId,
                                                 SchemaRegistryClient registry) {
        Map<String, Object> props = new HashMap<>(connection.kafka());
        props.remove("replication.factor");
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-artifacts");
        AvroSerde<ArtifactChunk> chunks = AvroSerde.specific(ArtifactChunk.class, registry, AvroSerdeConfig.defaults());
        return new ArtifactReader(new KafkaConsumer<>(props, new StringDeserializer(), chunks.deserializer()),
                connection.topics().artifacts(), ARTIFACT_TIMEOUT);
    }

    /** Starts the stream (its HTTP port, {@link TrainerHttpServer}, is opened apart, before {@link #create}). */
    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    public Health health() {
        return health;
    }

    /** The meters and status board the trainer reports to. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Stops in the order of the class comment. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.requestStop("the trainer is closing");
        LOG.info("Trainer stopping: closing the training stream");
        boolean streamClosed = streams.close(CloseOptions.groupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(STREAM_CLOSE));
        if (!streamClosed) {
            LOG.error("{} did not close within {} s", STREAM, STREAM_CLOSE.toSeconds());
        }
        trainings.forEach(ExecutorService::shutdown);
        long deadline = System.nanoTime() + JOBS_CLOSE.toNanos();
        for (ExecutorService jobs : trainings) {
            try {
                if (!jobs.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn("A retrain was still running {} s after the stream closed; interrupting it",
                            JOBS_CLOSE.toSeconds());
                    jobs.shutdownNow();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                jobs.shutdownNow();
            }
        }
        synchronized (artifacts) {
            artifacts.close();
        }
        encoder.close();
        streamsMeters.close();
        if (ownsTelemetry) {
            telemetry.close();
        }
        LOG.info("Trainer stopped");
    }
}
