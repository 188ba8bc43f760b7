package io.rewardstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Reading bounded JSON bodies and writing JSON, text and error answers on an {@link HttpExchange}. */
public final class Exchanges {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private Exchanges() {
    }

    /**
     * The body as JSON; 415 when the request says its body is something else, 413 when longer than {@code maxBytes},
     * 408 when it arrives too slowly, 400 when not JSON or nested deeper than Jackson's limit.
     */
    public static JsonNode readJson(HttpExchange exchange, int maxBytes) throws IOException {
        requireJsonContentType(exchange);
        byte[] body = exchange.body(maxBytes);
        if (body.length == 0) {
            throw new HttpProblem(400, "the request body is empty; expected a JSON object");
        }
        try {
            return JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new HttpProblem(400, "JSON refused: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new HttpProblem(400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** A request without a Content-Type is read as JSON; one that names another type is refused (415). */
    private static void requireJsonContentType(HttpExchange exchange) {
        String type = exchange.header("Content-Type").orElse("").strip();
        if (type.isEmpty()) {
            return;
        }
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !media.endsWith("+json")) {
            exchange.setHeader("Accept", "application/json");
            throw new HttpProblem(415, "Content-Type " + media + " is not JSON; send the body as application/json"
                    + " (curl: -H 'Content-Type: application/json')");
        }
    }

    public static void sendJson(HttpExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
        send(exchange, status, "application/json", bytes);
    }

    /** {@code {"error": {"status": 400, "message": "..."}}} */
    public static void sendError(HttpExchange exchange, int status, String message) {
        sendJson(exchange, status, error(status, message));
    }

    static Map<String, Object> error(int status, String message) {
        return Map.of("error", Map.of("status", status, "message", message));
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) {
        exchange.send(status, contentType, body);
    }

    public static void sendText(HttpExchange exchange, int status, String contentType, String body) {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
