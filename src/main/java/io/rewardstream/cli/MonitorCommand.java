package io.rewardstream.cli;

import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Durations;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.http.Exchanges;
import io.rewardstream.monitor.MonitorFollower;
import io.rewardstream.monitor.MonitorLines;
import io.rewardstream.monitor.MonitorSummary;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code monitor}: a monitoring consumer of a running system. Follows the metrics topic (accuracy reports, drift
 * alerts, rejections, score statistics) and the models topic (releases) and prints each event as it comes with a
 * summary line every few seconds, or, with {@code --json}, exactly one JSON object per line per event.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = "Follow rlhf.reward-metrics and rlhf.reward-models on a cluster and print what happens: accuracy,"
                + " drift alerts, promotions and rejections (one JSON object per line with --json).")
final class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "schema registry URL")
    String schemaRegistryUrl;

    @Option(names = "--config", paramLabel = "FILE", description = "properties file (topic names, Kafka security)")
    Path config;

    @Option(names = "--json", description = "one JSON object per line per event, nothing else on stdout")
    boolean json;

    @Option(names = "--from-beginning", description = "read the topics' history first (default: new events only)")
    boolean fromBeginning;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "DURATION",
            description = "stop after this long, e.g. 30s or 10m; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--summary-every", defaultValue = "10s", paramLabel = "DURATION",
            description = "how often the summary line is printed without --json (default: ${DEFAULT-VALUE})")
    String summaryEvery;

    @Override
    public Integer call() throws Exception {
        Duration until = duration.trim().equals("0") ? Duration.ZERO : Durations.parse("--duration", duration);
        Duration every = Durations.parse("--summary-every", summaryEvery);
        Map<String, String> overrides = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            overrides.put(ConfigLoader.KAFKA_PREFIX + "bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            overrides.put(ConfigKeys.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        RewardStreamConfig loaded = ConfigLoader.load(config, System.getenv(), overrides);
        Connection connection = loaded.connection();
        SchemaRegistryClient registry = SchemaRegistryClients.create(connection.registryClientConfig());
        TrainerSerdes serdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
        PrintWriter out = spec.commandLine().getOut();
        MonitorSummary summary = new MonitorSummary();
        try (MonitorFollower follower = new MonitorFollower(consumer(connection), Map.of(
                connection.topics().metrics(), serdes.metrics().deserializer(),
                connection.topics().models(), serdes.releases().deserializer()), fromBeginning)) {
            Thread stopper = new Thread(follower::stop, "monitor-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            if (!json) {
                out.println("following " + connection.topics().metrics() + " and " + connection.topics().models()
                        + " on " + connection.bootstrapServers() + (fromBeginning ? " from the beginning" : "")
                        + "; Ctrl-C stops");
                out.flush();
            }
            long[] nextSummary = {System.nanoTime() + every.toNanos()};
            follower.run(event -> {
                summary.add(event);
                out.println(json ? Exchanges.JSON.valueToTree(MonitorLines.json(event)).toString()
                        : MonitorLines.text(event));
                if (!json && System.nanoTime() - nextSummary[0] >= 0) {
                    out.println("summary: " + summary.line());
                    nextSummary[0] = System.nanoTime() + every.toNanos();
                }
                out.flush();
            }, until);
            if (!json) {
                out.println("summary: " + summary.line());
            }
            out.flush();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running.
            }
        }
        return Main.OK;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Connection connection) {
        Map<String, Object> props = new HashMap<>(connection.kafka());
        props.keySet().removeIf(k -> !ConsumerConfig.configNames().contains(k));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "rewardstream-monitor-" + UUID.randomUUID());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
