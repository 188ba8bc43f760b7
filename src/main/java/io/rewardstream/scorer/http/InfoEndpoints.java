package io.rewardstream.scorer.http;

import io.rewardstream.http.HttpExchange;
import io.rewardstream.http.Exchanges;
import io.rewardstream.scorer.serving.ScoringModel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** GET /healthz, /readyz, /metrics and /v1/models. */
final class InfoEndpoints {

    private final ServingState state;
    private final Supplier<String> scrape;

    /** @param scrape the instance's metrics in the Prometheus text format */
    InfoEndpoints(ServingState state, Supplier<String> scrape) {
        this.state = state;
        this.scrape = scrape;
    }

    /** Liveness: 200 while every Kafka Streams client of the process lives, else 503 with the reason. */
    void health(HttpExchange exchange) throws IOException {
        Optional<String> dead = state.deadReason();
        if (dead.isPresent()) {
            Exchanges.sendJson(exchange, 503, Map.of("status", "down", "reason", dead.get()));
            return;
        }
        Exchanges.sendJson(exchange, 200, Map.of("status", "up"));
    }

    /** Readiness: 200 with the model once it can score, else 503 with the reason. */
    void ready(HttpExchange exchange) throws IOException {
        Optional<String> reason = state.notReadyReason();
        if (reason.isPresent()) {
            Exchanges.sendJson(exchange, 503, Map.of("ready", false, "reason", reason.get()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", true);
        state.model().ifPresent(m -> body.put("model", Map.of("name", m.name(), "version", m.version())));
        Exchanges.sendJson(exchange, 200, body);
    }

    void metrics(HttpExchange exchange) throws IOException {
        Exchanges.sendText(exchange, 200, Exchanges.PROMETHEUS_TEXT, scrape.get());
    }

    /** The loaded model: name, version, its evaluation metrics, and this instance's serving figures. */
    void models(HttpExchange exchange) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", state.model().map(InfoEndpoints::describe).map(List::of).orElse(List.of()));
        body.put("serving", state.facts());
        Exchanges.sendJson(exchange, 200, body);
    }

    static Map<String, Object> describe(ScoringModel model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", model.name());
        m.put("version", model.version());
        m.put("metrics", model.metrics());
        return m;
    }
}
