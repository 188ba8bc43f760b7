package io.rewardstream.registry;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real registry integration tests talk to: the one named by the system property schema.registry.url
 * or the environment variable SCHEMA_REGISTRY_URL (as .ci/run provides), else one started here through
 * scripts/registry.sh and stopped when the JVM exits. There is no skipping: if neither works, tests fail
 * with the script's message.
 */
public final class RealRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RealRegistry.class);
    private static String url;

    private RealRegistry() {
    }

    public static synchronized String url() {
        if (url != null) {
            return url;
        }
        String configured = System.getProperty("schema.registry.url", System.getenv("SCHEMA_REGISTRY_URL"));
        if (configured != null && !configured.isBlank()) {
            url = configured.strip();
            return url;
        }
        RegistryScript script = new RegistryScript(Path.of("target", "registry-it").toAbsolutePath(),
                RegistryScript.freePort());
        try {
            url = script.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("SCHEMA_REGISTRY_URL is not set and starting a registry with "
                    + "scripts/registry.sh failed; integration tests need a real registry", e);
        }
        LOG.info("Started a schema registry for the integration tests at {}", url);
        Runtime.getRuntime().addShutdownHook(new Thread(script::stop, "registry-stop"));
        return url;
    }

    /** Client settings for tests: the URL plus short retry waits. */
    static Map<String, Object> clientConfig(String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(RegistryClientConfig.URL, registryUrl);
        config.put(RegistryClientConfig.RETRIES_WAIT_MS, "100");
        config.put(RegistryClientConfig.RETRIES_MAX_WAIT_MS, "1000");
        return config;
    }
}
