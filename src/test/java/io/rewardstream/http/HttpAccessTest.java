package io.rewardstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Access to an HTTP port: loopback by default, an optional bearer token (probes stay open), optional TLS. */
class HttpAccessTest {

    @TempDir
    Path temp;

    private HttpPort port;

    @AfterEach
    void stop() {
        if (port != null) {
            port.close();
        }
    }

    private HttpPort start(HttpAccess access) {
        port = HttpPort.start(HttpSettings.defaults().withAddress("127.0.0.1", 0).withAccess(access), 2, "access-test",
                List.of(new Route("GET", "/healthz", e -> Exchanges.sendJson(e, 200, Map.of("status", "up"))),
                        new Route("GET", "/readyz", e -> Exchanges.sendJson(e, 200, Map.of("ready", true))),
                        new Route("GET", "/metrics", e -> Exchanges.sendText(e, 200, "text/plain", "m 1\n")),
                        new Route("POST", "/v1/score", e -> Exchanges.sendJson(e, 200, Map.of("ok", true)))));
        return port;
    }

    private static HttpResponse<String> send(HttpClient client, String url, String token, boolean post)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request = post ? request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")) : request.GET();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldListenOnLoopbackUnlessToldOtherwise() {
        assertThat(HttpSettings.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(HttpSettings.defaults().access().bearerToken()).isEmpty();
        assertThat(HttpSettings.defaults().access().tls()).isFalse();
    }

    @Test
    void shouldRequireTheBearerTokenEverywhereButTheProbes() throws Exception {
        // Given a port with a token
        start(new HttpAccess("s3cret-token", null, ""));
        HttpClient client = HttpClient.newHttpClient();
        String base = port.url();

        // Then the probes answer without it, everything else wants it
        assertThat(send(client, base + "healthz", null, false).statusCode()).isEqualTo(200);
        assertThat(send(client, base + "readyz", null, false).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = send(client, base + "v1/score", null, true);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"rewardstream\"");
        assertThat(missing.body()).contains("http.bearer-token");
        assertThat(send(client, base + "v1/score", "wrong", true).statusCode()).isEqualTo(401);
        assertThat(send(client, base + "metrics", null, false).statusCode()).isEqualTo(401);
        assertThat(send(client, base + "v1/score", "s3cret-token", true).statusCode()).isEqualTo(200);
        assertThat(send(client, base + "metrics", "s3cret-token", false).body()).isEqualTo("m 1\n");
    }

    @Test
    void shouldServeTlsFromAPkcs12KeyStoreToClientsThatTrustItsCertificate() throws Exception {
        // Given a key store made by the JDK's keytool, and a port serving TLS from it
        Path store = keyStore("changeit");
        start(new HttpAccess("", store, "changeit"));

        // Then a client trusting the certificate gets its answer over https
        assertThat(port.url()).startsWith("https://127.0.0.1:");
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(store, "changeit")).build();
        assertThat(send(trusting, port.url() + "v1/score", null, true).statusCode()).isEqualTo(200);
        // and one that does not trust it is refused in the handshake
        assertThatThrownBy(() -> send(HttpClient.newHttpClient(), port.url() + "v1/score", null, true))
                .hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void shouldNameTheKeyOfAKeyStoreThatCannotBeRead() {
        assertThatThrownBy(() -> HttpAccess.of(ConfigLoader.load(null, Map.of(), Map.of(
                "kafka.bootstrap.servers", "x:9092", "schema.registry.url", "mock://a",
                "http.tls.keystore", temp.resolve("missing.p12").toString())).values()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.tls.keystore")
                .hasMessageContaining("cannot be read");
    }

    /** A PKCS#12 store with a self-signed RSA certificate for localhost and 127.0.0.1, made by keytool. */
    private Path keyStore(String password) throws IOException, InterruptedException {
        Path store = temp.resolve("http.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "http", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
        return store;
    }

    private static SSLContext trusting(Path store, String password) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
