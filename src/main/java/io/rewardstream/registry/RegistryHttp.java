package io.rewardstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON requests to the registry: adds the content type and credentials, retries connection
 * failures, 429 and 5xx answers with exponential backoff (moving to the next URL when several are
 * configured), and turns 4xx answers into {@link SchemaRegistryException}s with the registry's code.
 */
final class RegistryHttp {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttp.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final HttpClient http;
    private final List<URI> baseUrls;
    private final String authorization;
    private final RetryBackoff backoff;
    private final Duration requestTimeout;
    private final ObjectMapper json;

    RegistryHttp(RegistryClientConfig config, ObjectMapper json) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        SSLContext ssl = TlsContextFactory.create(config.tls());
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
        this.baseUrls = config.urls();
        this.authorization = config.authorization();
        this.backoff = config.backoff();
        this.requestTimeout = config.requestTimeout();
        this.json = json;
    }

    /** Sends the request and returns the parsed JSON answer; {@code body} null means no body. */
    JsonNode send(String method, String path, JsonNode body) {
        String payload = body == null ? null : body.toString();
        Exception lastFailure = null;
        for (int attempt = 0; attempt <= backoff.maxRetries(); attempt++) {
            if (attempt > 0) {
                pause(attempt - 1, method, path, lastFailure);
            }
            URI target = URI.create(baseUrls.get(attempt % baseUrls.size()) + path);
            try {
                HttpResponse<String> response = http.send(request(method, target, payload),
                        HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
                }
                SchemaRegistryException error = error(status, response.body());
                if (!isRetriable(status)) {
                    throw error;
                }
                lastFailure = error;
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("Interrupted while calling " + method + " " + target, e);
            }
        }
        throw new RegistryUnavailableException("Schema registry " + baseUrls + " failed " + method + " " + path
                + " after " + (backoff.maxRetries() + 1) + " attempts: " + lastFailure, lastFailure);
    }

    private HttpRequest request(String method, URI target, String payload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Accept", ACCEPT)
                .method(method, payload == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(payload));
        if (payload != null) {
            builder.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    private static boolean isRetriable(int status) {
        return status >= 500 || status == 429;
    }

    private SchemaRegistryException error(int status, String body) {
        int code = status;
        String message = body == null || body.isBlank() ? "no message" : body.strip();
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.has("error_code")) {
                code = node.get("error_code").asInt(status);
                message = node.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // keep the raw body as the message
        }
        return new SchemaRegistryException(status, code, message);
    }

    private void pause(int retry, String method, String path, Exception cause) {
        Duration wait = backoff.delay(retry);
        LOG.warn("Schema registry call {} {} failed ({}); retry {} of {} in {} ms",
                method, path, cause, retry + 1, backoff.maxRetries(), wait.toMillis());
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("Interrupted while waiting to retry " + method + " " + path, e);
        }
    }
}
