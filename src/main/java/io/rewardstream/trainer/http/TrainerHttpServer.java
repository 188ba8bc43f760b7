package io.rewardstream.trainer.http;

import io.rewardstream.http.Exchanges;
import io.rewardstream.http.HttpExchange;
import io.rewardstream.http.HttpPort;
import io.rewardstream.http.HttpSettings;
import io.rewardstream.http.Route;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.status.StatusRoutes;
import io.rewardstream.telemetry.Telemetry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's HTTP port, opened before the trainer connects to Kafka: {@code /healthz} (503 once a Kafka Streams
 * client of the process has died, so an orchestrator restarts it), {@code /readyz} (503 with the reason while the
 * trainer waits for Kafka or the registry, before its stream first runs, and while it stops), {@code /metrics}
 * (Prometheus: the process's meters, the trainer's and its Kafka Streams client's once it is built) and the status
 * page with its JSON documents.
 */
public final class TrainerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerHttpServer.class);

    private final HttpPort port;

    private TrainerHttpServer(HttpSettings settings, Health health, Telemetry telemetry) {
        List<Route> routes = new ArrayList<>(StatusRoutes.of(telemetry.board()));
        routes.add(new Route("GET", "/healthz", exchange -> health(exchange, health)));
        routes.add(new Route("GET", "/readyz", exchange -> ready(exchange, health)));
        routes.add(new Route("GET", "/metrics", exchange -> Exchanges.sendText(exchange, 200,
                Exchanges.PROMETHEUS_TEXT, telemetry.scrape())));
        this.port = HttpPort.start(settings, 2, "trainer-http",
                routes.stream().map(r -> r.metered(telemetry.registry())).toList());
    }

    /**
     * Listens on {@code settings}' host and port (0 for any free port), reports {@code health}, and serves
     * {@code telemetry}'s metrics and status page.
     */
    public static TrainerHttpServer start(HttpSettings settings, Health health, Telemetry telemetry) {
        TrainerHttpServer started = new TrainerHttpServer(settings, health, telemetry);
        LOG.info("Trainer HTTP server on {}", started.url());
        return started;
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
    }
}
