package io.rewardstream.http;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;
import java.time.Duration;

/**
 * An instance's HTTP port and its limits, validated on construction (a bad value fails naming its key).
 *
 * @param host                  address to bind (http.host); loopback unless exposed on purpose
 * @param port                  port, 0 for any free one (http.port)
 * @param maxBodyBytes          largest request body accepted; a larger one gets 413 (http.max-body-bytes)
 * @param maxItems              most items one scoring request may carry; more get 413 (http.max-items)
 * @param idleTimeout           a connection that sends nothing this long is closed (http.idle-timeout)
 * @param readTimeout           a request body must have arrived whole within this, else 408 (http.read-timeout)
 * @param requestTimeout        longest a scoring request waits for its rewards, else 503 (http.request-timeout)
 * @param maxConnections        open connections at most; further ones wait to be accepted (http.max-connections)
 * @param maxConcurrentRequests requests with a body handled at once; more get 503 (http.max-concurrent-requests)
 * @param access                bearer token and TLS (http.bearer-token, http.tls.*)
 */
public record HttpSettings(String host, int port, int maxBodyBytes, int maxItems, Duration idleTimeout,
                           Duration readTimeout, Duration requestTimeout, int maxConnections,
                           int maxConcurrentRequests, HttpAccess access) {

    public HttpSettings {
        require(host != null && !host.isBlank(), ConfigKeys.HTTP_HOST, "must not be empty");
        require(port >= 0 && port <= 65_535, ConfigKeys.HTTP_PORT, "must be between 0 and 65535");
        require(maxBodyBytes >= 1024, ConfigKeys.HTTP_MAX_BODY_BYTES, "must be at least 1024");
        require(maxItems >= 1, ConfigKeys.HTTP_MAX_ITEMS, "must be at least 1");
        requireTime(idleTimeout, ConfigKeys.HTTP_IDLE_TIMEOUT);
        requireTime(readTimeout, ConfigKeys.HTTP_READ_TIMEOUT);
        requireTime(requestTimeout, ConfigKeys.HTTP_REQUEST_TIMEOUT);
        require(maxConnections >= 1, ConfigKeys.HTTP_MAX_CONNECTIONS, "must be at least 1");
        require(maxConcurrentRequests >= 1, ConfigKeys.HTTP_MAX_CONCURRENT_REQUESTS, "must be at least 1");
        access = access == null ? HttpAccess.open() : access;
    }

    /** The given address and body limits, every other limit at its default. */
    public HttpSettings(String host, int port, int maxBodyBytes, int maxItems) {
        this(host, port, maxBodyBytes, maxItems, defaults().idleTimeout(), defaults().readTimeout(),
                defaults().requestTimeout(), defaults().maxConnections(), defaults().maxConcurrentRequests(),
                HttpAccess.open());
    }

    /** Every setting at its default (the defaults of {@code ConfigKeys}). */
    public static HttpSettings defaults() {
        return of(KeyValues.defaults());
    }

    /** The settings under http.* of the layered configuration. */
    public static HttpSettings of(KeyValues v) {
        try {
            return new HttpSettings(v.string(ConfigKeys.HTTP_HOST), v.integer(ConfigKeys.HTTP_PORT),
                    v.integer(ConfigKeys.HTTP_MAX_BODY_BYTES), v.integer(ConfigKeys.HTTP_MAX_ITEMS),
                    v.duration(ConfigKeys.HTTP_IDLE_TIMEOUT), v.duration(ConfigKeys.HTTP_READ_TIMEOUT),
                    v.duration(ConfigKeys.HTTP_REQUEST_TIMEOUT), v.integer(ConfigKeys.HTTP_MAX_CONNECTIONS),
                    v.integer(ConfigKeys.HTTP_MAX_CONCURRENT_REQUESTS), HttpAccess.of(v));
        } catch (ConfigException e) {
            throw v.spelled(e);
        }
    }

    public HttpSettings withAddress(String newHost, int newPort) {
        return new HttpSettings(newHost, newPort, maxBodyBytes, maxItems, idleTimeout, readTimeout, requestTimeout,
                maxConnections, maxConcurrentRequests, access);
    }

    public HttpSettings withAccess(HttpAccess value) {
        return new HttpSettings(host, port, maxBodyBytes, maxItems, idleTimeout, readTimeout, requestTimeout,
                maxConnections, maxConcurrentRequests, value);
    }

    public HttpSettings withPort(int value) {
        return withAddress(host, value);
    }

    public HttpSettings withBodyLimits(int bodyBytes, int items) {
        return new HttpSettings(host, port, bodyBytes, items, idleTimeout, readTimeout, requestTimeout,
                maxConnections, maxConcurrentRequests, access);
    }

    public HttpSettings withTimeouts(Duration idle, Duration read, Duration request) {
        return new HttpSettings(host, port, maxBodyBytes, maxItems, idle, read, request, maxConnections,
                maxConcurrentRequests, access);
    }

    public HttpSettings withConcurrency(int connections, int concurrentRequests) {
        return new HttpSettings(host, port, maxBodyBytes, maxItems, idleTimeout, readTimeout, requestTimeout,
                connections, concurrentRequests, access);
    }

    private static void requireTime(Duration value, String key) {
        require(value != null && value.toMillis() >= 1, key, "must be at least 1ms");
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key, problem);
        }
    }
}
