package io.rewardstream.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster inside this JVM: one KRaft process acting as broker and controller, listening on
 * loopback only, with its log directory under a folder the caller owns. Meant for the demo, where a newcomer has
 * no cluster; replication factors of the internal topics are 1 because there is one broker, and topics are never
 * created automatically (the roles create what they need).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Properties props;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Properties props) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.props = props;
    }

    /**
     * Formats a fresh log directory under {@code dataDir}, starts the node and waits until the broker answers.
     *
     * @throws IllegalStateException when formatting fails or the broker is not ready in time
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, freePort());
    }

    /** As {@link #start(Path)}, the broker listening on {@code brokerPort}. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort) {
        Properties props = properties(dataDir.resolve("kafka-logs"), brokerPort, freePort());
        format(dataDir, props);
        return run(props, brokerPort);
    }

    /**
     * Stops this broker (if it runs) and starts it again on the same ports and log directory, as a broker restart
     * does: the topics and their records are kept, and clients reconnect to the same address.
     */
    public EmbeddedKafka restart() {
        close();
        return run(props, Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1)));
    }

    private static EmbeddedKafka run(Properties props, int brokerPort) {
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + brokerPort;
        EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, props);
        try {
            server.startup();
            kafka.awaitBroker();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        LOG.info("Embedded Kafka broker on {}", bootstrap);
        return kafka;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One broker: every internal topic can have one replica only.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /** Writes the node's meta.properties and bootstrap metadata, as {@code kafka-storage.sh format} does. */
    private static void format(Path dataDir, Properties props) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                props.store(out, "RewardStream embedded broker");
            }
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int rc;
            try (PrintStream print = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", file.toString()}, print);
            }
            if (rc != 0) {
                throw new IllegalStateException("formatting the embedded broker's storage in " + dataDir
                        + " failed (exit " + rc + "): " + captured.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's folder " + dataDir, e);
        }
    }

    private void awaitBroker() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOG.debug("Embedded broker not ready yet: {}", e.toString());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded broker on " + bootstrapServers
                            + " did not become ready within " + READY_TIMEOUT.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the embedded broker", e);
        }
    }

    /** A port that was free a moment ago on loopback (the broker binds it right after). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port for the embedded broker", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka broker stopped");
    }
}
