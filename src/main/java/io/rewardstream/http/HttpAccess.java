package io.rewardstream.http;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Who may use an HTTP port, beyond its address (loopback unless {@code http.host} says otherwise): an optional bearer
 * token every request must carry, except the orchestrator's probes {@code /healthz} and {@code /readyz}; and optional
 * TLS from a PKCS#12 key store.
 *
 * @param bearerToken      required as {@code Authorization: Bearer TOKEN}; empty: no token (http.bearer-token)
 * @param keystore         PKCS#12 file with the port's key and certificate; null: plain HTTP (http.tls.keystore)
 * @param keystorePassword its password (http.tls.keystore-password)
 */
public record HttpAccess(String bearerToken, Path keystore, String keystorePassword) {

    /** Paths answered without a token: what a kubelet or load balancer probes. */
    public static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz");

    public HttpAccess {
        bearerToken = bearerToken == null ? "" : bearerToken.strip();
        keystorePassword = keystorePassword == null ? "" : keystorePassword;
        if (keystore != null && !Files.isReadable(keystore)) {
            throw new ConfigException(ConfigKeys.HTTP_TLS_KEYSTORE, keystore + " cannot be read");
        }
    }

    /** Plain HTTP, no token. */
    public static HttpAccess open() {
        return new HttpAccess("", null, "");
    }

    /** The settings http.bearer-token, http.tls.keystore and http.tls.keystore-password. */
    public static HttpAccess of(KeyValues v) {
        String store = v.string(ConfigKeys.HTTP_TLS_KEYSTORE).strip();
        return new HttpAccess(v.string(ConfigKeys.HTTP_BEARER_TOKEN), store.isEmpty() ? null : Path.of(store),
                v.string(ConfigKeys.HTTP_TLS_KEYSTORE_PASSWORD));
    }

    public boolean tls() {
        return keystore != null;
    }

    /**
     * Empty when a request to {@code path} with this {@code Authorization} header may go on; otherwise why not. The
     * token is compared in constant time.
     */
    public Optional<String> refusal(String path, String authorization) {
        if (bearerToken.isEmpty() || OPEN_PATHS.contains(path)) {
            return Optional.empty();
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of("this port needs an Authorization: Bearer token (" + ConfigKeys.HTTP_BEARER_TOKEN + ")");
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, bearerToken.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("the bearer token is not the one this port takes");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "HttpAccess[token " + (bearerToken.isEmpty() ? "none" : "set") + ", tls "
                + (tls() ? keystore : "off") + "]";
    }
}
