package io.rewardstream.trainer;

import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.kafka.TopicCheck;
import io.rewardstream.model.EncoderSource;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.FeatureLayout;
import io.rewardstream.model.TextEncoder;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.training.TrainingOptions;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trainer role: checks topics, loads the encoder, builds the topology and starts Kafka Streams.
 * Anything unexpected shuts the client down, so that the orchestrator restarts the process.
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);

    private final TextEncoder encoder;
    private final ExecutorService training;
    private final KafkaStreams streams;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private TrainerService(TextEncoder encoder, ExecutorService training, KafkaStreams streams) {
        this.encoder = encoder;
        this.training = training;
        this.streams = streams;
    }

    /** Checks topics, loads the encoder and builds the client; {@link #start()} starts it. */
    public static TrainerService create(RewardStreamConfig config, boolean createTopics) {
        Properties props = config.streamsProperties();
        try (Admin admin = Admin.create(new StreamsConfig(props).getAdminConfigs("rewardstream-topic-check"))) {
            var t = config.topics();
            TopicCheck.ensure(admin, List.of(new TopicCheck.Required(t.preferences(), false),
                    new TopicCheck.Required(t.models(), true), new TopicCheck.Required(t.metrics(), false),
                    new TopicCheck.Required(t.deadLetters(), false)), createTopics, config.createPartitions());
        }
        SchemaRegistryClient registry = SchemaRegistryClients.create(config.registryClientConfig());
        TrainerSerdes serdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, ProcessingDeadLetterHandler.class);
        props.put(DeadLetterHandler.TARGET_CONFIG, new DeadLetterHandler.Target(config.topics().deadLetters(),
                serdes.deadLetters().serializer(), String.valueOf(props.get(StreamsConfig.APPLICATION_ID_CONFIG)),
                () -> { }));
        var e = config.encoder();
        TextEncoder encoder = TextEncoder.load(EncoderSource.resolve(e.name()), e.threads(), TextEncoder.DEFAULT_BATCH_SIZE);
        ExecutorService training = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "trainer-retrain");
            thread.setDaemon(true);
            return thread;
        });
        TrainerModel model = new TrainerModel(new FeatureExtractor(encoder, FeatureLayout.SEPARATE, e.maxLength()),
                TrainingOptions.defaults(config.trainer().seed()));
        Topology topology = TrainerTopology.build(props, config.topics(), config.trainer(), serdes, model, training);
        LOG.debug("Trainer topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(ex -> {
            LOG.error("Trainer failed; shutting the client down", ex);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        LOG.info("Trainer built (application {}, state in {})", props.get(StreamsConfig.APPLICATION_ID_CONFIG),
                props.get(StreamsConfig.STATE_DIR_CONFIG));
        return new TrainerService(encoder, training, streams);
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
        training.shutdownNow();
        encoder.close();
        LOG.info("Trainer stopped");
    }
}
