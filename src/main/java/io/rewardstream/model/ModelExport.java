package io.rewardstream.model;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.onnx.StandaloneExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model as one standalone ONNX file (encoder, pooling and head; output "reward", float [batch, 1], the raw
 * reward) with tokenizer.json and manifest.json beside it, for any ONNX runtime to serve.
 */
public final class ModelExport {

    public static final String MANIFEST = "manifest.json";

    private ModelExport() {
    }

    /** @return the manifest written */
    public static Map<String, Object> write(Path modelDir, Path onnxFile) {
        ModelLoader.Parts parts = ModelLoader.verify(modelDir);
        ModelMetadata metadata = parts.metadata();
        HeadWeights head = parts.head();
        EncoderSource encoder = parts.encoder();
        FeatureLayout layout = metadata.features().featureLayout();
        byte[] onnx = StandaloneExport.build(encoder.onnxBytes(), layout, head);
        Map<String, Object> manifest = manifest(metadata, layout, onnxFile.getFileName().toString());
        try {
            Path dir = onnxFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.write(onnxFile, onnx);
            Files.write(dir.resolve(ModelDirectory.TOKENIZER), encoder.tokenizerJson());
            ModelDirectory.JSON.writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the export to " + onnxFile, e);
        }
        return manifest;
    }

    static Map<String, Object> manifest(ModelMetadata metadata, FeatureLayout layout, String fileName) {
        List<String> inputs = new ArrayList<>();
        List<String> sides = layout == FeatureLayout.JOINT ? List.of("") : List.of("prompt_", "response_");
        for (String side : sides) {
            for (String input : StandaloneExport.TOKEN_INPUTS) {
                inputs.add(side + input);
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("model", fileName);
        manifest.put("tokenizer", ModelDirectory.TOKENIZER);
        manifest.put("name", metadata.name());
        manifest.put("version", metadata.version());
        manifest.put("encoding", layout.manifestName());
        manifest.put("inputs", inputs);
        manifest.put("input_type", "int64 [batch, seq], padded with 0 and attention_mask 0");
        manifest.put("output", StandaloneExport.OUTPUT);
        manifest.put("output_type", "float [batch, 1], the raw reward");
        manifest.put("max_length", metadata.maxLength());
        manifest.put("truncation", layout.truncationRule(metadata.maxLength()));
        manifest.put("special_tokens", "tokenize without special tokens, then add the tokenizer's [CLS] before and"
                + " [SEP] after each segment");
        manifest.put("normalization", metadata.normalization());
        manifest.put("temperature", metadata.temperature());
        manifest.put("encoder", metadata.encoder());
        return manifest;
    }
}
