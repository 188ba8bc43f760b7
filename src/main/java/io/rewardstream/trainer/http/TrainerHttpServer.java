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
import io.rewardstream.lifecycle.Health;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's HTTP port, opened before the trainer connects to Kafka: {@code /healthz} (503 once a Kafka Streams
 * client of the process has died, so an orchestrator restarts it), {@code /readyz} (503 with the reason while the
 * trainer waits for Kafka or the registry, before its stream first runs, and while it stops), {@code /metrics}
 * (Prometheus: JVM memory, and the client's Kafka Streams metrics such as records processed and consumer lag once it
 * is {@linkplain #watch watched}) and {@code /}, the same facts as JSON.
 */
public final class TrainerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerHttpServer.class);

    private final HttpPort port;
    private final PrometheusMeterRegistry registry;
    private volatile KafkaStreams streams;
    private volatile KafkaStreamsMetrics streamsMetrics;

    private TrainerHttpServer(HttpSettings settings, String applicationId, Health health) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        try {
            this.port = HttpPort.start(settings, 2, "trainer-http", List.of(
                    new Route("GET", "/", exchange -> Exchanges.sendJson(exchange, 200, facts(applicationId, health))),
                    new Route("GET", "/healthz", exchange -> health(exchange, health)),
                    new Route("GET", "/readyz", exchange -> ready(exchange, health)),
                    new Route("GET", "/metrics", exchange -> Exchanges.sendText(exchange, 200,
                            Exchanges.PROMETHEUS_TEXT, registry.scrape()))));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** Listens on {@code settings}' host and port (0 for any free port) and reports {@code health}. */
    public static TrainerHttpServer start(HttpSettings settings, String applicationId, Health health) {
        TrainerHttpServer started = new TrainerHttpServer(settings, applicationId, health);
        LOG.info("Trainer HTTP server on {}", started.url());
        return started;
    }

    /** Adds the trainer's Kafka Streams client to the facts and metrics. */
    public void watch(KafkaStreams client) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(client);
        metrics.bindTo(registry);
        this.streamsMetrics = metrics;
        this.streams = client;
    }

    private Map<String, Object> facts(String applicationId, Health health) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("role", "trainer");
        facts.put("application_id", applicationId);
        KafkaStreams client = streams;
        facts.put("stream_state", client == null ? "not built yet" : client.state().toString());
        health.notReadyReason().ifPresent(reason -> facts.put("not_ready", reason));
        return facts;
    }

    private static void health(HttpExchange exchange, Health health) throws IOException {
        Optional<String> dead = health.deadReason();
        Exchanges.sendJson(exchange, dead.isPresent() ? 503 : 200, dead.isPresent()
                ? Map.of("status", "down", "reason", dead.get()) : Map.of("status", "up"));
    }

    private static void ready(HttpExchange exchange, Health health) throws IOException {
        Optional<String> reason = health.notReadyReason();
        Exchanges.sendJson(exchange, reason.isPresent() ? 503 : 200, reason.isPresent()
                ? Map.of("ready", false, "reason", reason.get()) : Map.of("ready", true));
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
        KafkaStreamsMetrics metrics = streamsMetrics;
        if (metrics != null) {
            metrics.close();
        }
        registry.close();
    }
}
