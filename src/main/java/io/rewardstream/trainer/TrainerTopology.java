package io.rewardstream.trainer;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.config.Topics;
import io.rewardstream.trainer.prequential.PageHinkley;
import io.rewardstream.trainer.prequential.PrequentialMonitor;
import io.rewardstream.trainer.prequential.PrequentialWindows;
import io.rewardstream.trainer.retrain.PromotionGate;
import io.rewardstream.trainer.retrain.ReleaseFactory;
import io.rewardstream.trainer.retrain.RetrainJob;
import io.rewardstream.trainer.retrain.RetrainSetup;
import io.rewardstream.trainer.retrain.TrainingPair;
import io.rewardstream.trainer.stream.Checked;
import io.rewardstream.trainer.stream.DedupeEventsProcessor;
import io.rewardstream.trainer.stream.EncodeBatchProcessor;
import io.rewardstream.trainer.stream.Encoded;
import io.rewardstream.trainer.stream.FineTuneSchedule;
import io.rewardstream.trainer.stream.PairExpansion;
import io.rewardstream.trainer.stream.StoreNames;
import io.rewardstream.trainer.stream.TrainerNodes;
import io.rewardstream.trainer.stream.TrainerObserver;
import io.rewardstream.trainer.stream.TrainerOutput;
import io.rewardstream.trainer.stream.TrainerSerdes;
import io.rewardstream.trainer.stream.TrainingPairSerde;
import io.rewardstream.trainer.stream.TrainingStoreProcessor;
import io.rewardstream.trainer.stream.ValidateEventsProcessor;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The trainer's topology: preferences -> validate (invalid to dead letters) -> key by event id (the repartition
 * drops null keys, and producers may key by prompt or not at all) -> single-partition internal topic
 * -> deduplicate -> encode (events that cannot be encoded to dead letters) -> expand rankings -> prequential
 * scoring and the training store -> releases and metrics. Every node, store and internal topic is named
 * ({@link TrainerNodes}, {@link StoreNames}); {@code streamsConfig} must enforce explicit naming, as
 * {@code StreamsProperties} does.
 */
public final class TrainerTopology {

    private TrainerTopology() {
    }

    /**
     * @param trainingExecutor runs head-only retrains
     * @param fineTuneExecutor runs fine-tunes of the encoder, when {@code model} has a fine-tune job
     */
    public static Topology build(Properties streamsConfig, Topics topics, TrainerSettings settings,
                                 TrainerSerdes serdes, RetrainSetup model, Executor trainingExecutor,
                                 Executor fineTuneExecutor) {
        return build(streamsConfig, topics, settings, serdes, model, trainingExecutor, fineTuneExecutor,
                TrainerObserver.NONE);
    }

    /** As above, with {@code observer} told what the training store publishes and trains (meters, status page). */
    public static Topology build(Properties streamsConfig, Topics topics, TrainerSettings settings,
                                 TrainerSerdes serdes, RetrainSetup model, Executor trainingExecutor,
                                 Executor fineTuneExecutor, TrainerObserver observer) {
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsConfig)));

        KStream<String, PreferenceEvent> events = builder.stream(topics.preferences(),
                Consumed.with(Serdes.String(), serdes.preferences()).withName(TrainerNodes.SOURCE));
        var branches = events
                .processValues(() -> new ValidateEventsProcessor(serdes.preferences().serializer(),
                                settings.eventLimits()),
                        Named.as(TrainerNodes.VALIDATE))
                .split(Named.as(TrainerNodes.VALIDATION))
                .branch((key, checked) -> !checked.valid(), Branched.as(TrainerNodes.INVALID))
                .defaultBranch(Branched.as(TrainerNodes.VALID));
        branches.get(TrainerNodes.VALIDATION + TrainerNodes.INVALID)
                .mapValues(Checked::deadLetter, Named.as(TrainerNodes.INVALID_TO_DEAD_LETTER))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), serdes.deadLetters())
                        .withName(TrainerNodes.DEAD_LETTERS_SINK));

        KStream<String, TrainingPair> pairs = branches.get(TrainerNodes.VALIDATION + TrainerNodes.VALID)
                .mapValues(Checked::event, Named.as(TrainerNodes.VALID_EVENTS))
                .selectKey((key, event) -> event.getEventId(), Named.as(TrainerNodes.KEY_BY_EVENT_ID))
                .repartition(Repartitioned.<String, PreferenceEvent>as(StoreNames.TRAINING_EVENTS_TOPIC)
                        .withKeySerde(Serdes.String()).withValueSerde(serdes.preferences())
                        .withNumberOfPartitions(1))
                .processValues(dedupe(settings.window()), Named.as(TrainerNodes.DEDUPE))
                .process(encodeInBatches(settings, topics, model, serdes), Named.as(TrainerNodes.ENCODE))
                .split(Named.as(TrainerNodes.ENCODING))
                .branch((key, encoded) -> !encoded.ok(), Branched.withConsumer(failed -> failed
                        .mapValues(Encoded::deadLetter, Named.as(TrainerNodes.UNENCODABLE_TO_DEAD_LETTER))
                        .to(topics.deadLetters(), Produced.with(Serdes.String(), serdes.deadLetters())
                                .withName(TrainerNodes.ENCODING_DEAD_LETTERS_SINK)), TrainerNodes.ENCODING_FAILED))
                .defaultBranch(Branched.as(TrainerNodes.ENCODING_OK))
                .get(TrainerNodes.ENCODING + TrainerNodes.ENCODING_OK)
                .flatMapValues(encoded -> PairExpansion.pairs(encoded.event(), settings.holdoutFraction(),
                        settings.seed()), Named.as(TrainerNodes.EXPAND));

        KStream<String, TrainerOutput> out = pairs.process(trainingStore(settings, model, trainingExecutor,
                        fineTuneExecutor, observer),
                Named.as(TrainerNodes.TRAINING_STORE));
        out.filter((key, value) -> value.isRelease(), Named.as(TrainerNodes.RELEASES_ONLY))
                .mapValues(TrainerOutput::release, Named.as(TrainerNodes.AS_RELEASE))
                .to(topics.models(), Produced.with(Serdes.String(), serdes.releases())
                        .withName(TrainerNodes.RELEASES_SINK));
        out.filter((key, value) -> value.kind() == TrainerOutput.Kind.METRIC, Named.as(TrainerNodes.METRICS_ONLY))
                .mapValues(TrainerOutput::metric, Named.as(TrainerNodes.AS_METRIC))
                .to(topics.metrics(), Produced.with(Serdes.String(), serdes.metrics())
                        .withName(TrainerNodes.METRICS_SINK));
        out.filter((key, value) -> value.kind() == TrainerOutput.Kind.ARTIFACT, Named.as(TrainerNodes.ARTIFACTS_ONLY))
                .mapValues(TrainerOutput::artifact, Named.as(TrainerNodes.AS_ARTIFACT))
                .to(topics.artifacts(), Produced.with(Serdes.String(), serdes.artifacts())
                        .withName(TrainerNodes.ARTIFACTS_SINK));
        return builder.build(streamsConfig);
    }

    static FixedKeyProcessorSupplier<String, PreferenceEvent, PreferenceEvent> dedupe(Duration window) {
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, PreferenceEvent, PreferenceEvent> get() {
                return new DedupeEventsProcessor(window);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(StoreNames.SEEN_EVENTS, window, Duration.ofMillis(1), false),
                        Serdes.String(), Serdes.Long()));
            }
        };
    }

    static ProcessorSupplier<String, PreferenceEvent, String, Encoded> encodeInBatches(
            TrainerSettings settings, Topics topics, RetrainSetup model, TrainerSerdes serdes) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, PreferenceEvent, String, Encoded> get() {
                return new EncodeBatchProcessor(model.extractor(), settings.encodeBatch(), settings.encodeLinger(),
                        topics.preferences(), serdes.preferences().serializer());
            }

            /** Cached, as the scorer's waiting store: an event encoded before the next commit logs only a tombstone. */
            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.timestampedKeyValueStoreBuilder(
                        Stores.persistentTimestampedKeyValueStore(StoreNames.ENCODE_BUFFER), Serdes.Bytes(),
                        serdes.preferences()).withCachingEnabled());
            }
        };
    }

    static ProcessorSupplier<String, TrainingPair, String, TrainerOutput> trainingStore(
            TrainerSettings settings, RetrainSetup model, Executor executor, Executor fineTuneExecutor,
            TrainerObserver observer) {
        ReleaseFactory releases = new ReleaseFactory(settings.modelName(), model.identity(), model.signer());
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, TrainingPair, String, TrainerOutput> get() {
                PrequentialMonitor monitor = new PrequentialMonitor(settings.modelName(),
                        new PrequentialWindows(settings.prequentialWindow().toMillis(),
                                settings.prequentialAdvance().toMillis()),
                        new PageHinkley(settings.driftDelta(), settings.driftLambda(), settings.driftMinPairs()));
                FineTuneSchedule fineTunes = model.fineTune() == null ? FineTuneSchedule.off()
                        : new FineTuneSchedule(model.fineTune(), settings.fineTuneInterval(), fineTuneExecutor);
                return new TrainingStoreProcessor(settings.schedule(), new RetrainJob(model.options()),
                        new PromotionGate(settings.gateTolerance(), settings.gateFloor(), settings.gatePolicy()), releases,
                        monitor, executor, fineTunes, model.liveLoader(), observer);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                Duration window = settings.window();
                return Set.of(
                        Stores.windowStoreBuilder(Stores.persistentWindowStore(StoreNames.TRAINING_PAIRS, window,
                                Duration.ofMillis(1), false), Serdes.String(), new TrainingPairSerde()),
                        Stores.windowStoreBuilder(Stores.persistentWindowStore(StoreNames.JUDGMENTS, window,
                                Duration.ofMillis(1), false), Serdes.String(), Serdes.Integer()),
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.TRAINER_STATE),
                                Serdes.String(), Serdes.ByteArray()));
            }
        };
    }
}
