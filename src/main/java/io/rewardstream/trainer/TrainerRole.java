package io.rewardstream.trainer;

import io.rewardstream.artifacts.ArtifactReader;
import io.rewardstream.avro.ArtifactChunk;
import io.rewardstream.config.Connection;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.finetune.PyTorchRuntime;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.streams.TopicCheck;
import io.rewardstream.trainer.http.TrainerHttpServer;
import io.rewardstream.trainer.retrain.FineTuneJob;
import io.rewardstream.trainer.retrain.LiveRelease;
import io.rewardstream.trainer.retrain.RecipeFineTuner;
import io.rewardstream.trainer.retrain.RetrainSetup;
import io.rewardstream.trainer.stream.ProcessingDeadLetterHandler;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trainer role: checks topics, loads the encoder, builds the topology, starts Kafka Streams and, when
 * asked, the trainer's own HTTP port. Anything unexpected shuts the client down, so that the orchestrator restarts
 * the process.
 */
public final class TrainerRole implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerRole.class);

    /** Longest the read of the live release's trained encoder from the artifacts topic may take. */
    private static final Duration ARTIFACT_TIMEOUT = Duration.ofMinutes(5);

    private final TextEncoder encoder;
    private final List<ExecutorService> trainings;
    private final ArtifactReader artifacts;
    private final KafkaStreams streams;
    private final String applicationId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private TrainerHttpServer http;

    private TrainerRole(TextEncoder encoder, List<ExecutorService> trainings, ArtifactReader artifacts,
                        KafkaStreams streams, String applicationId) {
        this.encoder = encoder;
        this.trainings = trainings;
        this.artifacts = artifacts;
        this.streams = streams;
        this.applicationId = applicationId;
    }

    /** Checks topics, loads the encoder and builds the client; {@link #start} starts it. */
    public static TrainerRole create(RewardStreamConfig config, boolean createTopics) {
        TrainerSettings settings = TrainerConfig.settings(config);
        EncoderSettings e = TrainerConfig.encoder(config);
        Connection connection = config.connection();
        String applicationId = config.applicationId();
        try (Admin admin = StreamsProperties.admin(connection, applicationId, "rewardstream-topic-check")) {
            var t = connection.topics();
            TopicCheck.ensure(admin, List.of(new TopicCheck.Required(t.preferences(), false),
                    new TopicCheck.Required(t.models(), true), new TopicCheck.Required(t.metrics(), false),
                    new TopicCheck.Required(t.deadLetters(), false), new TopicCheck.Required(t.artifacts(), true)),
                    createTopics, config.createPartitions());
        }
        SchemaRegistryClient registry = SchemaRegistryClients.create(connection.registryClientConfig());
        TrainerSerdes serdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
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
                });
        Topology topology = TrainerTopology.build(props, connection.topics(), settings, serdes, setup, training,
                fineTuning);
        LOG.debug("Trainer topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(ex -> {
            LOG.error("Trainer failed; shutting the client down", ex);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        LOG.info("Trainer built (application {}, state in {})", applicationId, connection.stateDir());
        return new TrainerRole(encoder, List.of(training, fineTuning), artifacts, streams, applicationId);
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

    /** Starts the stream without an HTTP port (with {@code run --role all} the scorer's port serves the instance). */
    public void start() {
        streams.start();
    }

    /** Starts the stream and the trainer's own HTTP port: health, readiness and metrics. */
    public void start(HttpSettings settings) {
        start();
        http = TrainerHttpServer.start(settings, applicationId, streams);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** The HTTP port's address, when {@link #start} opened one. */
    public Optional<String> statusUrl() {
        return Optional.ofNullable(http).map(TrainerHttpServer::url);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (http != null) {
            http.close();
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
        trainings.forEach(ExecutorService::shutdownNow);
        synchronized (artifacts) {
            artifacts.close();
        }
        encoder.close();
        LOG.info("Trainer stopped");
    }
}
