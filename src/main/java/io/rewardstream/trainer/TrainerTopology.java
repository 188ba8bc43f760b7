package io.rewardstream.trainer;

import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.config.Topics;
import io.rewardstream.config.TrainerSettings;
import io.rewardstream.monitoring.PageHinkley;
import io.rewardstream.monitoring.PrequentialMonitor;
import io.rewardstream.monitoring.PrequentialWindows;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.avro.specific.SpecificRecord;
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
 * scoring and the training store -> releases and metrics. Every node, store and internal topic is named.
 */
public final class TrainerTopology {

    private TrainerTopology() {
    }

    public static Topology build(Properties streamsConfig, Topics topics, TrainerSettings settings,
                                 TrainerSerdes serdes, TrainerModel model, Executor trainingExecutor) {
        Properties props = new Properties();
        props.putAll(streamsConfig);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));

        KStream<String, PreferenceEvent> events = builder.stream(topics.preferences(),
                Consumed.with(Serdes.String(), serdes.preferences()).withName("preferences-source"));
        var branches = events
                .processValues(() -> new ValidateEventsProcessor(serdes.preferences().serializer()),
                        Named.as("validate-events"))
                .split(Named.as("validation-"))
                .branch((key, checked) -> !checked.valid(), Branched.as("invalid"))
                .defaultBranch(Branched.as("valid"));
        branches.get("validation-invalid")
                .mapValues(Checked::deadLetter, Named.as("invalid-to-dead-letter"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), serdes.deadLetters())
                        .withName("dead-letters-sink"));

        KStream<String, TrainingPair> pairs = branches.get("validation-valid")
                .mapValues(Checked::event, Named.as("valid-events"))
                .selectKey((key, event) -> event.getEventId(), Named.as("key-by-event-id"))
                .repartition(Repartitioned.<String, PreferenceEvent>as(StoreNames.TRAINING_EVENTS_TOPIC)
                        .withKeySerde(Serdes.String()).withValueSerde(serdes.preferences())
                        .withNumberOfPartitions(1))
                .processValues(dedupe(settings.window()), Named.as("dedupe-events"))
                .process(encodeInBatches(settings, topics, model, serdes), Named.as(EncodeBatchProcessor.STAGE))
                .split(Named.as("encoding-"))
                .branch((key, encoded) -> !encoded.ok(), Branched.withConsumer(failed -> failed
                        .mapValues(Encoded::deadLetter, Named.as("unencodable-to-dead-letter"))
                        .to(topics.deadLetters(), Produced.with(Serdes.String(), serdes.deadLetters())
                                .withName("encoding-dead-letters-sink")), "failed"))
                .defaultBranch(Branched.as("ok"))
                .get("encoding-ok")
                .flatMapValues(encoded -> TrainingPair.expand(encoded.event(), settings.holdoutFraction(),
                        settings.seed()), Named.as("expand-rankings"));

        KStream<String, SpecificRecord> out = pairs.process(trainingStore(settings, model, trainingExecutor),
                Named.as("training-store"));
        out.filter((key, value) -> value instanceof ModelRelease, Named.as("releases-only"))
                .mapValues(value -> (ModelRelease) value, Named.as("as-release"))
                .to(topics.models(), Produced.with(Serdes.String(), serdes.releases()).withName("reward-models-sink"));
        out.filterNot((key, value) -> value instanceof ModelRelease, Named.as("metrics-only"))
                .to(topics.metrics(), Produced.with(Serdes.String(), serdes.metrics()).withName("reward-metrics-sink"));
        return builder.build(props);
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
            TrainerSettings settings, Topics topics, TrainerModel model, TrainerSerdes serdes) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, PreferenceEvent, String, Encoded> get() {
                return new EncodeBatchProcessor(model.extractor(), settings.encodeBatch(), settings.encodeLinger(),
                        topics.preferences(), serdes.preferences().serializer());
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.timestampedKeyValueStoreBuilder(
                        Stores.persistentTimestampedKeyValueStore(StoreNames.ENCODE_BUFFER), Serdes.Bytes(),
                        serdes.preferences()));
            }
        };
    }

    static ProcessorSupplier<String, TrainingPair, String, SpecificRecord> trainingStore(
            TrainerSettings settings, TrainerModel model, Executor executor) {
        ReleaseFactory releases = new ReleaseFactory(settings.modelName(), model.identity());
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, TrainingPair, String, SpecificRecord> get() {
                PrequentialMonitor monitor = new PrequentialMonitor(settings.modelName(),
                        new PrequentialWindows(settings.prequentialWindow().toMillis(),
                                settings.prequentialAdvance().toMillis()),
                        new PageHinkley(settings.driftDelta(), settings.driftLambda(), settings.driftMinPairs()));
                return new TrainingStoreProcessor(settings, new RetrainJob(model.options()),
                        new PromotionGate(settings.gateTolerance(), settings.gateFloor()), releases, monitor, executor);
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
