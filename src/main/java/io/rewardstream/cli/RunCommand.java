package io.rewardstream.cli;

import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.http.TrainerHttpServer;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scoring.ScorerSettings;
import io.rewardstream.trainer.TrainerService;
import io.rewardstream.training.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
            closeAll(running);
            stopped.countDown();
        }, "rewardstream-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        TrainerService trainer = null;
        try {
            if (role != Role.scorer) {
                trainer = TrainerService.create(loaded, createTopics);
                running.add(trainer);
                trainer.streams().setStateListener((now, before) -> {
                    if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                        stopped.countDown();
                    }
                });
                trainer.start();
                if (role == Role.trainer) {
                    // With --role all the scorer's port serves the instance; a trainer alone gets its own.
                    TrainerHttpServer http = TrainerHttpServer.start(loaded.value("http.host"),
                            httpPort != null ? httpPort : loaded.intValue("http.port"), loaded.value(ConfigKeys.APPLICATION_ID),
                            trainer.streams());
                    running.add(http);
                    spec.commandLine().getOut().println("trainer status: " + http.url());
                    spec.commandLine().getOut().flush();
                }
            }
            if (scorerSettings != null) {
                ModelSource source = model != null ? new ModelSource.Directory(model)
                        : new ModelSource.Releases(loaded.trainer().modelName());
                ScorerRole.Connection connection = ScorerConfig.connection(loaded);
                ScorerRole scorer = ScorerRole.start(scorerSettings, connection, source, createTopics,
                        loaded.createPartitions());
                running.add(scorer);
                spec.commandLine().getOut().println("scorer status page: " + scorer.statusUrl());
                spec.commandLine().getOut().flush();
            }
            stopped.await();
            return trainer != null && trainer.streams().state() == KafkaStreams.State.ERROR ? Main.FAILURE : Main.OK;
        } finally {
            closeAll(running);
        }
    }

    private static void closeAll(List<AutoCloseable> running) {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(RunCommand.class).warn("Closing {} failed", running.get(i), e);
            }
        }
        running.clear();
    }
}
