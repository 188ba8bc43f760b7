package io.rewardstream.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.rewardstream.config.ConfigKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reading bounded JSON bodies and writing JSON, text and error answers on an {@link HttpExchange}. */
public final class Exchanges {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private Exchanges() {
    }

    /** The body as JSON; 413 when longer than {@code maxBytes}, 400 when it is not JSON. */
    public static JsonNode readJson(HttpExchange exchange, int maxBytes) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new HttpProblem(400, "Content-Length '" + declared + "' is not a number");
            }
            if (length > maxBytes) {
                throw tooLarge(length + " bytes", maxBytes);
            }
        }
        byte[] body = readBounded(exchange.getRequestBody(), maxBytes);
        if (body.length == 0) {
            throw new HttpProblem(400, "the request body is empty; expected a JSON object");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpProblem(400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static byte[] readBounded(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > maxBytes) {
                throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static HttpProblem tooLarge(String size, int maxBytes) {
        return new HttpProblem(413, "request body of " + size + " exceeds the limit of " + maxBytes
                + " bytes (" + ConfigKeys.HTTP_MAX_BODY_BYTES + ")");
    }

    public static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    public static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        sendJson(exchange, status, Map.of("error", Map.of("status", status, "message", message)));
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void sendText(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
