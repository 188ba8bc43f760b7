package io.rewardstream.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds the SSLContext for HTTPS registries from the schema.registry.ssl.* settings. */
final class TlsContextFactory {

    private TlsContextFactory() {
    }

    /** Returns null when neither a truststore nor a keystore is configured (the JVM defaults apply). */
    static SSLContext create(RegistryClientConfig.Tls tls) {
        if (tls.truststoreLocation() == null && tls.keystoreLocation() == null) {
            return null;
        }
        try {
            TrustManagerFactory trust = null;
            if (tls.truststoreLocation() != null) {
                KeyStore store = load(tls.truststoreLocation(), tls.truststoreType(), tls.truststorePassword());
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (tls.keystoreLocation() != null) {
                KeyStore store = load(tls.keystoreLocation(), tls.keystoreType(), tls.keystorePassword());
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
                keys.init(store, chars(keyPassword));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(),
                    trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Cannot set up TLS for the schema registry from "
                    + RegistryClientConfig.SSL_PREFIX + "* settings: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String location, String type, String password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(password));
        }
        return store;
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }
}
