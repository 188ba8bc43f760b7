package io.rewardstream.http;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;

/**
 * An instance's HTTP port, validated on construction (a bad value fails naming its key).
 *
 * @param host         address to bind (http.host); loopback unless exposed on purpose
 * @param port         port, 0 for any free one (http.port)
 * @param maxBodyBytes largest request body accepted (http.max-body-bytes)
 * @param maxItems     most items one scoring request may carry (http.max-items)
 */
public record HttpSettings(String host, int port, int maxBodyBytes, int maxItems) {

    public HttpSettings {
        require(host != null && !host.isBlank(), ConfigKeys.HTTP_HOST, "must not be empty");
        require(port >= 0 && port <= 65_535, ConfigKeys.HTTP_PORT, "must be between 0 and 65535");
        require(maxBodyBytes >= 1024, ConfigKeys.HTTP_MAX_BODY_BYTES, "must be at least 1024");
        require(maxItems >= 1, ConfigKeys.HTTP_MAX_ITEMS, "must be at least 1");
    }

    /** The settings under http.* of the layered configuration. */
    public static HttpSettings of(KeyValues v) {
        try {
            return new HttpSettings(v.string(ConfigKeys.HTTP_HOST), v.integer(ConfigKeys.HTTP_PORT),
                    v.integer(ConfigKeys.HTTP_MAX_BODY_BYTES), v.integer(ConfigKeys.HTTP_MAX_ITEMS));
        } catch (ConfigException e) {
            throw v.spelled(e);
        }
    }

    public HttpSettings withPort(int value) {
        return new HttpSettings(host, value, maxBodyBytes, maxItems);
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key, problem);
        }
    }
}
