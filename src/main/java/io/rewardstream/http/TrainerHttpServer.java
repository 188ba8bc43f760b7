package io.rewardstream.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's HTTP port: {@code /healthz} (503 once the Kafka Streams client has failed or stopped, so an
 * orchestrator restarts it), {@code /readyz} (200 while it runs or rebalances), {@code /metrics} (Prometheus: the
 * client's Kafka Streams metrics, such as records processed and consumer lag, and JVM memory) and {@code /}, the
 * same facts as JSON.
 */
public final class TrainerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerHttpServer.class);
    private static final Set<KafkaStreams.State> READY = Set.of(KafkaStreams.State.RUNNING,
            KafkaStreams.State.REBALANCING);
    private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR,
            KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING, KafkaStreams.State.PENDING_SHUTDOWN);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;

    private TrainerHttpServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry,
                              KafkaStreamsMetrics streamsMetrics) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
    }

    /** Listens on {@code host:port} (0 for any free port) and reports on {@code streams}. */
    public static TrainerHttpServer start(String host, int port, String applicationId, KafkaStreams streams) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (http.host, http.port): "
                    + e.getMessage(), e);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        server.createContext("/", new Route("GET", "/", exchange -> Exchanges.sendJson(exchange, 200,
                facts(applicationId, streams))));
        server.createContext("/healthz", new Route("GET", "/healthz", exchange -> health(exchange, streams)));
        server.createContext("/readyz", new Route("GET", "/readyz", exchange -> ready(exchange, streams)));
        server.createContext("/metrics", new Route("GET", "/metrics", exchange -> Exchanges.sendText(exchange, 200,
                InfoEndpoints.PROMETHEUS_TEXT, registry.scrape())));
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "trainer-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        TrainerHttpServer started = new TrainerHttpServer(server, executor, registry, streamsMetrics);
        LOG.info("Trainer HTTP server on {}", started.url());
        return started;
    }

    private static Map<String, Object> facts(String applicationId, KafkaStreams streams) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("role", "trainer");
        facts.put("application_id", applicationId);
        facts.put("stream_state", streams.state().toString());
        return facts;
    }

    private static void health(HttpExchange exchange, KafkaStreams streams) throws IOException {
        KafkaStreams.State state = streams.state();
        Exchanges.sendJson(exchange, DEAD.contains(state) ? 503 : 200,
                Map.of("status", DEAD.contains(state) ? "down" : "up", "stream_state", state.toString()));
    }

    private static void ready(HttpExchange exchange, KafkaStreams streams) throws IOException {
        KafkaStreams.State state = streams.state();
        boolean ready = READY.contains(state);
        Exchanges.sendJson(exchange, ready ? 200 : 503, ready ? Map.of("ready", true, "stream_state", state.toString())
                : Map.of("ready", false, "reason", "the training stream is " + state));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        streamsMetrics.close();
        registry.close();
    }
}
