package io.rewardstream.cli;

import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.trainer.TrainerService;
import io.rewardstream.training.BadInputException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --role trainer|scorer|all}: connects to an existing cluster and registry and runs a role. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a role against an existing Kafka cluster and schema registry.")
public final class RunCommand implements Callable<Integer> {

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

    @Override
    public Integer call() throws Exception {
        if (role != Role.trainer) {
            throw new BadInputException("role " + role + " is not available yet in this build; use --role trainer");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigLoader.KAFKA_PREFIX + "bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            overrides.put(ConfigKeys.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        RewardStreamConfig loaded = ConfigLoader.load(config, System.getenv(), overrides);
        if (httpPort != null) {
            System.err.println("note: --http-port is not served by the trainer in this build");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (TrainerService service = TrainerService.create(loaded, createTopics)) {
            service.streams().setStateListener((now, before) -> {
                if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                    stopped.countDown();
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "trainer-shutdown"));
            service.start();
            stopped.await();
            return service.streams().state() == KafkaStreams.State.ERROR ? Main.FAILURE : Main.OK;
        }
    }
}
