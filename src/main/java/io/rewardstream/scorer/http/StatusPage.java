package io.rewardstream.scorer.http;

import io.rewardstream.http.HttpExchange;
import io.rewardstream.http.Exchanges;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/** GET /: a small HTML page with the instance's readiness, model and serving figures. */
final class StatusPage {

    private final ServingState state;

    StatusPage(ServingState state) {
        this.state = state;
    }

    void show(HttpExchange exchange) throws IOException {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>RewardStream scorer</title>")
                .append("<meta http-equiv=\"refresh\" content=\"5\"><style>body{font-family:sans-serif;margin:2em}")
                .append("td{padding:2px 12px 2px 0}</style></head><body><h1>RewardStream scorer</h1>");
        html.append("<p>Status: <b>").append(escape(state.notReadyReason().map(r -> "not ready: " + r)
                .orElse("ready"))).append("</b></p>");
        state.model().ifPresent(m -> {
            html.append("<h2>Model</h2><table><tr><td>name</td><td>").append(escape(m.name()))
                    .append("</td></tr><tr><td>version</td><td>").append(m.version()).append("</td></tr>");
            m.metrics().forEach((k, v) -> html.append("<tr><td>").append(escape(k)).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.4f", v)).append("</td></tr>"));
            html.append("</table>");
        });
        html.append("<h2>Serving</h2><table>");
        for (Map.Entry<String, Object> fact : state.facts().entrySet()) {
            html.append("<tr><td>").append(escape(fact.getKey())).append("</td><td>")
                    .append(escape(String.valueOf(fact.getValue()))).append("</td></tr>");
        }
        html.append("</table>");
        state.sections().forEach((title, facts) -> {
            html.append("<h2>").append(escape(title)).append("</h2><table>");
            facts.forEach((k, v) -> html.append("<tr><td>").append(escape(k)).append("</td><td>")
                    .append(escape(String.valueOf(v))).append("</td></tr>"));
            html.append("</table>");
        });
        html.append("<p><a href=\"/v1/models\">/v1/models</a> · <a href=\"/metrics\">/metrics</a> · ")
                .append("<a href=\"/readyz\">/readyz</a> · <a href=\"/healthz\">/healthz</a></p></body></html>");
        Exchanges.sendText(exchange, 200, "text/html; charset=utf-8", html.toString());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
