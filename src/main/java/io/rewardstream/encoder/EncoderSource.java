package io.rewardstream.encoder;

import io.rewardstream.onnx.LayerMeanGraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an encoder comes from: one of the encoders built into the jar, one fetched by name on first use
 * ({@link FetchedEncoders}), or a directory holding an ONNX export ({@code model.onnx} or the single {@code *.onnx}
 * file) and its HuggingFace {@code tokenizer.json}.
 *
 * @param name          built-in or fetched name, or the directory's absolute path
 * @param builtin       true when the files are jar resources
 * @param onnxBytes     the encoder graph
 * @param tokenizerJson the tokenizer definition
 */
public record EncoderSource(String name, boolean builtin, byte[] onnxBytes, byte[] tokenizerJson) {

    /**
     * The default encoder: all-MiniLM-L6-v2 in fp32, its output the mean of the hidden states of its six layers
     * ({@link LayerMeanGraph}). Pooling all layers instead of the last one alone measured about two points more
     * held-out accuracy on the HH-RLHF pairs at the same feature size and speed (README, "Accuracy"). The int8 build
     * is about twice as fast and as accurate, but its dynamic activation quantisation makes a text's vector depend
     * on the other texts in its batch, so the same response could get different rewards (README, "Choice of
     * encoder").
     */
    public static final String DEFAULT = "all-minilm-l6-v2-layer-mean";

    /** all-MiniLM-L6-v2 as published: the last layer's hidden states. */
    public static final String MINILM = "all-minilm-l6-v2";

    /**
     * e5-small-v2 in fp32 (12 layers, width 384, twice MiniLM's depth and cost), its output the mean of its layers.
     * Fine-tuned with the default recipe it measured about a point more held-out accuracy than the default encoder
     * (README, "Choice of recipe").
     */
    public static final String E5_LAYER_MEAN = "e5-small-v2-layer-mean";

    /** Built-in encoders, all shipped by Maven Central jars on the classpath. */
    public static final List<String> BUILTIN = List.of(DEFAULT, MINILM, "all-minilm-l6-v2-q", E5_LAYER_MEAN,
            "e5-small-v2", "e5-small-v2-q");

    /** Suffix of the built-ins rewritten by {@link LayerMeanGraph} from the published graph of the same stem. */
    private static final String LAYER_MEAN_SUFFIX = "-layer-mean";

    private static final Map<String, EncoderSource> LAYER_MEAN = new ConcurrentHashMap<>();

    /** Hashes of graph arrays still in use, by array identity (arrays do not override equals), weakly held. */
    private static final Map<byte[], String> GRAPH_SHA256 = Collections.synchronizedMap(new WeakHashMap<>());

    /** Resolves a built-in name or a directory path. */
    public static EncoderSource resolve(String nameOrDir) {
        String key = nameOrDir.toLowerCase(Locale.ROOT);
        if (BUILTIN.contains(key) && key.endsWith(LAYER_MEAN_SUFFIX)) {
            return layerMean(key);
        }
        if (BUILTIN.contains(key)) {
            return new EncoderSource(key, true, resource(key + ".onnx"), resource(key + "-tokenizer.json"));
        }
        FetchedEncoders.Artifact fetched = FetchedEncoders.KNOWN.get(key);
        if (fetched != null) {
            return fromDirectory(FetchedEncoders.directory(fetched, FetchedEncoders.Places.fromEnvironment()), key);
        }
        Path dir = Path.of(nameOrDir);
        if (!Files.isDirectory(dir)) {
            throw new EncoderLoadException("encoder '" + nameOrDir + "' is neither a built-in encoder "
                    + BUILTIN + ", one fetched on first use " + FetchedEncoders.KNOWN.keySet() + ", nor a directory");
        }
        return fromDirectory(dir, dir.toAbsolutePath().normalize().toString());
    }

    private static EncoderSource fromDirectory(Path dir, String name) {
        try {
            Path tokenizer = dir.resolve("tokenizer.json");
            if (!Files.isRegularFile(tokenizer)) {
                throw new EncoderLoadException("encoder directory " + dir + " has no tokenizer.json");
            }
            Path onnx = dir.resolve("model.onnx");
            if (!Files.isRegularFile(onnx)) {
                List<Path> candidates;
                try (var files = Files.list(dir)) {
                    candidates = files.filter(p -> p.getFileName().toString().endsWith(".onnx")).toList();
                }
                if (candidates.size() != 1) {
                    throw new EncoderLoadException("encoder directory " + dir + " must hold model.onnx or exactly one"
                            + " .onnx file, found " + candidates.size());
                }
                onnx = candidates.get(0);
            }
            return new EncoderSource(name, false, Files.readAllBytes(onnx), Files.readAllBytes(tokenizer));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read encoder directory " + dir, e);
        }
    }

    /** An encoder stored as two files, e.g. inside a model directory, under the name it was trained as. */
    public static EncoderSource fromFiles(String name, Path onnx, Path tokenizerJson) {
        try {
            return new EncoderSource(name, false, Files.readAllBytes(onnx), Files.readAllBytes(tokenizerJson));
        } catch (IOException e) {
            throw new EncoderLoadException("cannot read encoder " + onnx + " and " + tokenizerJson + ": "
                    + e.getMessage(), e);
        }
    }

    /** Rewritten once per JVM and name: parsing and writing a 90 to 130 MB graph takes a second or two. */
    private static EncoderSource layerMean(String name) {
        return LAYER_MEAN.computeIfAbsent(name, n -> {
            String stem = n.substring(0, n.length() - LAYER_MEAN_SUFFIX.length());
            return new EncoderSource(n, true, LayerMeanGraph.rewrite(resource(stem + ".onnx")),
                    resource(stem + "-tokenizer.json"));
        });
    }

    private static byte[] resource(String name) {
        try (InputStream in = EncoderSource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new EncoderLoadException("built-in encoder resource " + name + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    /**
     * SHA-256 of the ONNX graph, the encoder's identity in model metadata and releases. Worked out once per graph
     * array: loading, pooling and releasing an encoder each ask for it, and a 436 MB graph takes about half a second
     * to hash here.
     */
    public String sha256() {
        return GRAPH_SHA256.computeIfAbsent(onnxBytes, EncoderSource::sha256);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }
}
