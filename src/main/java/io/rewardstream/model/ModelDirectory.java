package io.rewardstream.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.onnx.HeadOnnx;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A model on disk: metadata.json, head.onnx and, for an encoder that is not built in, encoder.onnx and
 * tokenizer.json. Writing goes through a temporary folder renamed into place, so a reader never sees half a model.
 */
public final class ModelDirectory {

    public static final String METADATA = "metadata.json";
    public static final String HEAD = "head.onnx";
    public static final String ENCODER = "encoder.onnx";
    public static final String TOKENIZER = "tokenizer.json";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelDirectory() {
    }

    /** Writes a model; {@code metadata} must already name the head's checksum (see {@link #headBytes}). */
    public static void write(Path dir, ModelMetadata metadata, byte[] headOnnx, EncoderSource encoder) {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
            Files.write(staging.resolve(HEAD), headOnnx);
            if (!encoder.builtin()) {
                Files.write(staging.resolve(ENCODER), encoder.onnxBytes());
                Files.write(staging.resolve(TOKENIZER), encoder.tokenizerJson());
            }
            JSON.writeValue(staging.resolve(METADATA).toFile(), metadata);
            if (Files.exists(dir)) {
                deleteModel(dir);
            }
            Files.move(staging, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir, e);
        }
    }

    public static byte[] headBytes(HeadWeights head, int featureWidth) {
        return HeadOnnx.write(head, featureWidth);
    }

    public static ModelMetadata readMetadata(Path dir) {
        Path file = dir.resolve(METADATA);
        try {
            ModelMetadata metadata = JSON.readValue(file.toFile(), ModelMetadata.class);
            if (metadata.format() != ModelMetadata.FORMAT) {
                throw new ModelFormatException(file + ": format " + metadata.format() + " is not supported (expected "
                        + ModelMetadata.FORMAT + ")");
            }
            return metadata;
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new ModelFormatException(dir + " is not a model directory: " + METADATA + " is missing");
        } catch (IOException e) {
            throw new ModelFormatException(file + " cannot be read: " + e.getMessage());
        }
    }

    /** The encoder the metadata names: built in, or the files beside the metadata ({@link ModelLoader} checks it). */
    public static EncoderSource encoderOf(Path dir, ModelMetadata metadata) {
        ModelMetadata.Encoder e = metadata.encoder();
        return e.builtin() ? EncoderSource.resolve(e.name())
                : EncoderSource.fromFiles(e.name(), dir.resolve(e.file()), dir.resolve(TOKENIZER));
    }

    /** The head graph's bytes, as the metadata names its file. */
    public static byte[] readHeadBytes(Path dir, ModelMetadata metadata) {
        try {
            return Files.readAllBytes(dir.resolve(metadata.head().file()));
        } catch (IOException e) {
            throw new ModelFormatException("cannot read the head of " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteModel(Path dir) throws IOException {
        for (String name : new String[] {METADATA, HEAD, ENCODER, TOKENIZER}) {
            Files.deleteIfExists(dir.resolve(name));
        }
        try (var rest = Files.list(dir)) {
            if (rest.findAny().isPresent()) {
                throw new IOException(dir + " exists and holds files that are not part of a model; not replacing it");
            }
        }
        Files.delete(dir);
    }
}
