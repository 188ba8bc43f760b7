package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.common.Closeables;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.lifecycle.StartupRetry;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.telemetry.Telemetry;
import io.rewardstream.trainer.TrainerRole;
import io.rewardstream.trainer.http.TrainerHttpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code run --role trainer|scorer|all}: connects to an existing cluster and registry and runs a role until SIGTERM
 * or Ctrl-C ({@link StopSignals}; exit code 0 once everything closed in order) or until a part of the process dies,
 * a Kafka Streams client above all (exit code 1, so that an orchestrator restarts it). The HTTP port opens first.
 */
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
        ModelSource source = role == Role.trainer ? null
                : model != null ? new ModelSource.Directory(model) : ScorerConfig.releases(loaded);
        Health health = new Health();
        List<AutoCloseable> running = new ArrayList<>();
        try (StopSignals signals = StopSignals.install(name -> health.requestStop(name + " received"))) {
            try {
                runUntilStopped(loaded, scorerSettings, source, health, running);
            } catch (StartupRetry.Stopped e) {
                spec.commandLine().getErr().println("stopped during start-up: " + e.getMessage());
            } finally {
                // Still under the signal handlers: a second signal while closing ends the process at once.
                Closeables.closeAll(running);
            }
        }
        Optional<String> dead = health.deadReason();
        if (dead.isPresent()) {
            spec.commandLine().getErr().println("error: " + dead.get());
            return Main.FAILURE;
        }
        return Main.OK;
    }

    /** Opens the HTTP port, then the roles, and waits for a stop (a signal, or a part of the process dying). */
    private void runUntilStopped(RewardStreamConfig loaded, ScorerSettings scorerSettings, ModelSource source,
                                 Health health, List<AutoCloseable> running) throws InterruptedException {
        // One registry and one status page for the process: with --role all both roles show on the scorer's port.
        Telemetry telemetry = new Telemetry(switch (role) {
            case trainer -> "RewardStream trainer";
            case scorer -> "RewardStream scorer";
            case all -> "RewardStream (trainer and scorer)";
        });
        running.add(telemetry);
        // The HTTP port first: health and readiness answer while Kafka and the registry are waited for.
        ScorerRole scorer = null;
        if (scorerSettings != null) {
            scorer = ScorerRole.open(scorerSettings, health, telemetry);
            running.add(scorer);
            print("scorer status page: " + scorer.statusUrl());
        } else {
            HttpSettings http = HttpSettings.of(loaded.values());
            TrainerHttpServer trainerHttp = TrainerHttpServer.start(httpPort == null ? http : http.withPort(httpPort),
                    health, telemetry);
            running.add(trainerHttp);
            print("trainer status: " + trainerHttp.url());
        }
        if (role != Role.scorer) {
            TrainerRole trainer = TrainerRole.create(loaded, createTopics, health, StartupRetry.defaults(), telemetry);
            running.add(trainer);
            trainer.start();
        }
        if (scorer != null) {
            scorer.connect(ScorerConfig.connection(loaded), source, createTopics, loaded.createPartitions(),
                    StartupRetry.defaults());
        }
        health.awaitStop();
    }

    private void print(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
