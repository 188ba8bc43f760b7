package io.rewardstream.trainer.http;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rewardstream.http.Exchanges;
import io.rewardstream.http.HttpExchange;
import io.rewardstream.http.HttpPort;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.http.Route;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private final HttpPort port;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;

    private TrainerHttpServer(HttpPort port, PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics) {
        this.port = port;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
    }

    /** Listens on {@code host:port} (0 for any free port), with the default limits, and reports on {@code streams}. */
    public static TrainerHttpServer start(String host, int port, String applicationId, KafkaStreams streams) {
        return start(HttpSettings.defaults().withAddress(host, port), applicationId, streams);
    }

    /** Listens as {@code settings} say (address, timeouts, limits) and reports on {@code streams}. */
    public static TrainerHttpServer start(HttpSettings settings, String applicationId, KafkaStreams streams) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        HttpPort httpPort;
        try {
            httpPort = HttpPort.start(settings, 2, "trainer-http", List.of(
                    new Route("GET", "/", exchange -> Exchanges.sendJson(exchange, 200, facts(applicationId, streams))),
                    new Route("GET", "/healthz", exchange -> health(exchange, streams)),
                    new Route("GET", "/readyz", exchange -> ready(exchange, streams)),
                    new Route("GET", "/metrics", exchange -> Exchanges.sendText(exchange, 200,
                            Exchanges.PROMETHEUS_TEXT, registry.scrape()))));
        } catch (RuntimeException e) {
            streamsMetrics.close();
            registry.close();
            throw e;
        }
        TrainerHttpServer started = new TrainerHttpServer(httpPort, registry, streamsMetrics);
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
        return port.port();
    }

    public String url() {
        return port.url();
    }

    @Override
    public void close() {
        port.close();
        streamsMetrics.close();
        registry.close();
    }
}
