package io.rewardstream.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * How to reach the schema registry, parsed from Confluent's configuration keys.
 *
 * @param urls           registry base URLs (several are tried in turn); a single mock://scope URL selects
 *                       the in-memory registry of that scope
 * @param authorization  value of the Authorization header, or null
 */
public record RegistryClientConfig(
        List<URI> urls,
        String authorization,
        Tls tls,
        RetryBackoff backoff,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration latestCacheTtl) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    public static final String READ_TIMEOUT_MS = "http.read.timeout.ms";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String SSL_PREFIX = "schema.registry.ssl.";
    public static final String MOCK_SCHEME = "mock";

    /** TLS material for HTTPS registries; every field may be null. */
    public record Tls(String truststoreLocation, String truststorePassword, String truststoreType,
                      String keystoreLocation, String keystorePassword, String keystoreType, String keyPassword) {
    }

    public RegistryClientConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("Missing required configuration " + URL);
        }
    }

    /** True when the URL selects the in-memory registry. */
    public boolean isMock() {
        return MOCK_SCHEME.equals(urls.get(0).getScheme());
    }

    /** The scope of a mock:// URL: its authority (mock://scope) or, failing that, its path. */
    public String mockScope() {
        URI uri = urls.get(0);
        String scope = uri.getAuthority() != null ? uri.getAuthority() : uri.getSchemeSpecificPart();
        return scope.replaceFirst("^/+", "");
    }

    public static RegistryClientConfig from(Map<String, ?> configs) {
        ConfigValues values = new ConfigValues(configs);
        String urlList = values.string(URL, null);
        if (urlList == null) {
            throw new IllegalArgumentException("Missing required configuration " + URL);
        }
        List<URI> withCredentials = parseUrls(urlList);
        List<URI> urls = withCredentials.stream().map(RegistryClientConfig::withoutUserInfo).toList();
        RetryBackoff backoff = new RetryBackoff(
                (int) values.number(MAX_RETRIES, 6, 0),
                Duration.ofMillis(values.number(RETRIES_WAIT_MS, 200, 0)),
                Duration.ofMillis(values.number(RETRIES_MAX_WAIT_MS, 5_000, 0)));
        return new RegistryClientConfig(urls,
                authorization(values, withCredentials.get(0)),
                tls(values),
                backoff,
                Duration.ofMillis(values.number(CONNECT_TIMEOUT_MS, 10_000, 1)),
                Duration.ofMillis(values.number(READ_TIMEOUT_MS, 30_000, 1)),
                Duration.ofSeconds(values.number(LATEST_CACHE_TTL_SEC, 300, 0)));
    }

    private static List<URI> parseUrls(String urlList) {
        List<URI> urls = new ArrayList<>();
        for (String part : urlList.split(",")) {
            String trimmed = part.trim().replaceFirst("/+$", "");
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(trimmed);
                if (uri.getScheme() == null) {
                    throw ConfigValues.invalid(URL, urlList, "a URL needs a scheme (http, https or mock)");
                }
                urls.add(uri);
            } catch (URISyntaxException e) {
                throw ConfigValues.invalid(URL, urlList, e.getMessage());
            }
        }
        return urls;
    }

    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw ConfigValues.invalid(URL, uri, e.getMessage());
        }
    }

    private static String authorization(ConfigValues values, URI firstUrl) {
        String bearerSource = values.string(BEARER_AUTH_SOURCE, null);
        if (bearerSource != null) {
            if (!bearerSource.equals("STATIC_TOKEN")) {
                throw ConfigValues.invalid(BEARER_AUTH_SOURCE, bearerSource, "only STATIC_TOKEN is supported");
            }
            String token = values.string(BEARER_AUTH_TOKEN, null);
            if (token == null) {
                throw new IllegalArgumentException(BEARER_AUTH_TOKEN + " is required when "
                        + BEARER_AUTH_SOURCE + "=STATIC_TOKEN");
            }
            return "Bearer " + token;
        }
        String basicSource = values.string(BASIC_AUTH_SOURCE, null);
        if (basicSource == null) {
            return null;
        }
        String userInfo = switch (basicSource) {
            case "USER_INFO" -> values.string(BASIC_AUTH_USER_INFO, null);
            case "URL" -> firstUrl.getUserInfo();
            default -> throw ConfigValues.invalid(BASIC_AUTH_SOURCE, basicSource, "expected USER_INFO or URL");
        };
        if (userInfo == null || !userInfo.contains(":")) {
            throw new IllegalArgumentException(BASIC_AUTH_SOURCE + "=" + basicSource
                    + " needs credentials as user:password (" + BASIC_AUTH_USER_INFO + " or the URL's user info)");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static Tls tls(ConfigValues values) {
        return new Tls(
                values.string(SSL_PREFIX + "truststore.location", null),
                values.string(SSL_PREFIX + "truststore.password", null),
                values.string(SSL_PREFIX + "truststore.type", "JKS"),
                values.string(SSL_PREFIX + "keystore.location", null),
                values.string(SSL_PREFIX + "keystore.password", null),
                values.string(SSL_PREFIX + "keystore.type", "JKS"),
                values.string(SSL_PREFIX + "key.password", null));
    }

    @Override
    public String toString() {
        return "RegistryClientConfig[urls=" + urls + ", authorization=" + (authorization == null ? "none" : "***")
                + ", backoff=" + backoff + "]";
    }
}
