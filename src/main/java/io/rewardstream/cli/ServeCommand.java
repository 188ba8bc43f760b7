package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.ServeRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code serve}: the scorer's HTTP endpoints alone, for RLHF trainers that call a reward server (OpenRLHF's
 * {@code --reward.remote_url}). A model directory needs nothing else; with a cluster and a registry it follows the
 * promoted releases on the models topic as the scorer does.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a reward model over HTTP (POST /get_reward for OpenRLHF, POST /v1/score) without a "
                + "Kafka pipeline.",
            "  serve --model DIR                      a model directory, nothing else needed",
            "  serve --bootstrap-servers HOST:PORT --schema-registry-url URL [--model DIR]",
            "                                         follow promoted releases (the directory serves until one comes)"})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "model directory to serve (from train or export)")
    Path model;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "follow releases on this Kafka cluster's models topic")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "schema registry of that cluster")
    String schemaRegistryUrl;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "follow releases of this model (default: model.name, reward-model)")
    String modelName;

    @Option(names = "--config", paramLabel = "FILE", description = "properties file (keys of docs/scorer.md)")
    Path config;

    @Option(names = "--http-port", paramLabel = "N", description = "HTTP port (default: http.port, 8081)")
    Integer httpPort;

    @Option(names = "--host", paramLabel = "ADDRESS",
            description = "address to listen on (default: http.host, 127.0.0.1; 0.0.0.0 to expose it)")
    String host;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigLoader.KAFKA_PREFIX + "bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            overrides.put(ConfigKeys.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        if (modelName != null) {
            overrides.put(ConfigKeys.MODEL_NAME, modelName);
        }
        if (host != null) {
            overrides.put(ConfigKeys.HTTP_HOST, host);
        }
        if (httpPort != null) {
            overrides.put(ConfigKeys.HTTP_PORT, httpPort.toString());
        }
        ConfigLoader.Layered layered = ConfigLoader.layered(config, System.getenv(), overrides);
        if (model != null && !Files.isDirectory(model)) {
            throw new BadInputException("--model " + model + " is not a directory");
        }
        ServeRole.Releases releases = null;
        if (layered.namesACluster()) {
            RewardStreamConfig loaded = ConfigLoader.load(config, System.getenv(), overrides);
            releases = new ServeRole.Releases(ScorerConfig.connection(loaded), ScorerConfig.releases(loaded));
        } else if (model == null) {
            throw new BadInputException("serve needs --model DIR, or --bootstrap-servers and --schema-registry-url"
                    + " to follow releases (or both)");
        }
        ScorerSettings settings = ScorerConfig.settings(layered.values());
        Health health = new Health();
        // SIGTERM and Ctrl-C ask for a stop; the role then closes in order before the JVM's shutdown hooks run.
        try (StopSignals signals = StopSignals.install(name -> health.requestStop(name + " received"))) {
            ServeRole role = ServeRole.start(settings, model, releases, health);
            try {
                print("serving on " + role.url() + " (POST /get_reward, POST /v1/score, GET /readyz)");
                print("OpenRLHF: --reward.remote_url " + role.url() + "get_reward");
                health.awaitStop();
            } finally {
                role.close();
            }
        }
        Optional<String> dead = health.deadReason();
        if (dead.isPresent()) {
            spec.commandLine().getErr().println("error: " + dead.get());
            return Main.FAILURE;
        }
        return Main.OK;
    }

    private void print(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
