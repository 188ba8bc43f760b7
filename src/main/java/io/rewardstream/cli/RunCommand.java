package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.common.Closeables;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.trainer.TrainerConfig;
import io.rewardstream.trainer.TrainerRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run --role trainer|scorer|all}: connects to an existing cluster and registry and runs a role. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a role against an existing Kafka cluster and schema registry.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The roles one process can run. */
    enum Role { trainer, scorer, all }

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "trainer, scorer or all")
    Role role;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "schema registry URL (or mock://scope)")
    String schemaRegistryUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "properties file (see docs/trainer.md)")
    Path config;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP port for health and metrics")
    Integer httpPort;

    @Option(names = "--create-topics", description = "create missing topics instead of failing")
    boolean createTopics;

    @Option(names = "--model", paramLabel = "DIR",
            description = "scorer: serve this model directory instead of following releases on the models topic")
    Path model;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigLoader.KAFKA_PREFIX + "bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            overrides.put(ConfigKeys.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        RewardStreamConfig loaded = ConfigLoader.load(config, System.getenv(), overrides);
        if (model != null && role == Role.trainer) {
            throw new BadInputException("--model is a scorer option; the trainer publishes its own releases");
        }
        ScorerSettings scorerSettings = role == Role.trainer ? null : ScorerConfig.settings(loaded, httpPort);
        CountDownLatch stopped = new CountDownLatch(1);
        List<AutoCloseable> running = new ArrayList<>();
        Thread shutdown = new Thread(() -> {
            Closeables.closeAll(running);
            stopped.countDown();
        }, "rewardstream-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        TrainerRole trainer = null;
        try {
            if (role != Role.scorer) {
                trainer = TrainerRole.create(loaded, createTopics);
                running.add(trainer);
                trainer.streams().setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                        stopped.countDown();
                    }
                });
                if (role == Role.trainer) {
                    // With --role all the scorer's port serves the instance; a trainer alone gets its own.
                    HttpSettings http = HttpSettings.of(loaded.values());
                    trainer.start(httpPort == null ? http : http.withPort(httpPort));
                    trainer.statusUrl().ifPresent(url -> print("trainer status: " + url));
                } else {
                    trainer.start();
                }
            }
            if (scorerSettings != null) {
                ModelSource source = model != null ? new ModelSource.Directory(model)
                        : new ModelSource.Releases(TrainerConfig.settings(loaded).modelName());
                ScorerRole scorer = ScorerRole.start(scorerSettings, ScorerConfig.connection(loaded), source,
                        createTopics, loaded.createPartitions());
                running.add(scorer);
                print("scorer status page: " + scorer.statusUrl());
            }
            stopped.await();
            return trainer != null && trainer.streams().state() == KafkaStreams.State.ERROR ? Main.FAILURE : Main.OK;
        } finally {
            Closeables.closeAll(running);
        }
    }

    private void print(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
