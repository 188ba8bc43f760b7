package io.rewardstream.topologydocs;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.serving.BatchScorer;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.scorer.stream.ScoringTopology;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.trainer.TrainerSettings;
import io.rewardstream.trainer.TrainerTopology;
import io.rewardstream.trainer.retrain.RetrainSetup;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The files of {@code topology/}: for each role, Kafka Streams' own description of the topology the code builds
 * with the default settings ({@code ROLE.txt}) and a Mermaid diagram drawn from that same description
 * ({@code ROLE.md}). Written by {@code java -jar rewardstream.jar topology}; a test compares them with the
 * committed files.
 */
public final class TopologyFiles {

    private TopologyFiles() {
    }

    /** File name to content, for both roles. */
    public static Map<String, String> build() {
        Map<String, String> files = new LinkedHashMap<>();
        TopologyDescription trainer = trainer();
        files.put("trainer.txt", trainer.toString());
        files.put("trainer.md", MermaidDiagram.page("Trainer topology", "trainer.txt", TRAINER_INTRO, trainer));
        TopologyDescription scorer = scorer();
        files.put("scorer.txt", scorer.toString());
        files.put("scorer.md", MermaidDiagram.page("Scorer topology", "scorer.txt", SCORER_INTRO, scorer));
        return files;
    }

    /** Writes every file into {@code dir}. @return the files written */
    public static List<Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> file : build().entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            written.add(path);
        }
        return written;
    }

    /** The names of the files in {@code dir} that are missing or differ from what the code builds. */
    public static List<String> stale(Path dir) throws IOException {
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : build().entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!Files.isRegularFile(path) || !Files.readString(path, StandardCharsets.UTF_8).equals(file.getValue())) {
                stale.add(file.getKey());
            }
        }
        return stale;
    }

    private static final String TRAINER_INTRO = "Preference events are validated (invalid ones go to the dead-letter"
            + " topic), keyed by event id through a repartition topic, deduplicated, encoded once, expanded into"
            + " ordered pairs and kept in the windowed training store, whose processor also scores each pair with the"
            + " live model, runs the retraining punctuator and publishes releases and metrics.";
    private static final String SCORER_INTRO = "Rollout responses wait in a changelogged store until a micro-batch is"
            + " full or its linger time has passed; each batch is scored by one model version and split into rewards"
            + " and dead letters. Undecodable records go to the dead-letter topic through the deserialization"
            + " handler, outside the topology.";

    private static TopologyDescription trainer() {
        String scope = "topology-trainer-" + UUID.randomUUID();
        try (TextEncoder encoder = TextEncoder.load(EncoderSource.resolve(EncoderSource.DEFAULT), 1, 1)) {
            TrainerSerdes serdes = TrainerSerdes.of(SchemaRegistryClients.create(
                    Map.of(RegistryClientConfig.URL, "mock://" + scope)), AvroSerdeConfig.defaults());
            Connection connection = Connection.of("unused:9092", "mock://" + scope, "rewardstream-topology");
            Properties props = StreamsProperties.of(connection, "rewardstream-trainer", new DeadLetterHandler.Target(
                    connection.topics().deadLetters(), serdes.deadLetters().serializer(), "rewardstream-trainer",
                    () -> { }), Map.of());
            RetrainSetup model = new RetrainSetup(new FeatureExtractor(encoder, FeatureLayout.SEPARATE, 256),
                    TrainingOptions.defaults(0));
            return TrainerTopology.build(props, Topics.defaults(), TrainerSettings.defaults(), serdes, model,
                    Runnable::run, Runnable::run).describe();
        } finally {
            MockRegistryScopes.drop(scope);
        }
    }

    private static TopologyDescription scorer() {
        String scope = "topology-scorer-" + UUID.randomUUID();
        try {
            ModelHolder holder = new ModelHolder();
            BatchScorer scorer = new BatchScorer(holder, new ScoringMetrics(new SimpleMeterRegistry(), holder));
            return ScoringTopology.build(ScorerSettings.defaults().batching(), Topics.defaults(),
                    ScoringSerdes.forRegistry("mock://" + scope), scorer).describe();
        } finally {
            MockRegistryScopes.drop(scope);
        }
    }
}
