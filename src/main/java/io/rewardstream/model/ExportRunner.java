package io.rewardstream.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.rewardstream.encoder.EncoderTokenizer;
import io.rewardstream.encoder.InputTensors;
import io.rewardstream.encoder.PaddedBatch;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.runtime.OrtRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a standalone export (model.onnx, tokenizer.json, manifest.json) the way any caller would: build token
 * inputs as the manifest says, run the graph, read "reward". Used to check exports against the Java path.
 */
public final class ExportRunner implements AutoCloseable {

    private final OrtSession session;
    private final EncoderTokenizer tokenizer;
    private final TokenLayout layout;
    private final boolean joint;

    private ExportRunner(OrtSession session, EncoderTokenizer tokenizer, TokenLayout layout, boolean joint) {
        this.session = session;
        this.tokenizer = tokenizer;
        this.layout = layout;
        this.joint = joint;
    }

    public static ExportRunner load(Path onnxFile) {
        Path dir = onnxFile.toAbsolutePath().getParent();
        try {
            JsonNode manifest = ModelDirectory.JSON.readTree(dir.resolve(ModelExport.MANIFEST).toFile());
            EncoderTokenizer tokenizer = new EncoderTokenizer(Files.readAllBytes(dir.resolve(ModelDirectory.TOKENIZER)));
            OrtSession session = OrtRuntime.cpuSession(Files.readAllBytes(onnxFile), 0);
            return new ExportRunner(session, tokenizer, tokenizer.layout(manifest.get("max_length").asInt()),
                    FeatureLayout.JOINT.manifestName().equals(manifest.get("encoding").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read export " + onnxFile, e);
        } catch (OrtException e) {
            throw new ModelFormatException("export " + onnxFile + " cannot be loaded: " + e.getMessage());
        }
    }

    /** Raw rewards of the items, in one batch. */
    public float[] rewards(List<PromptResponse> items) {
        long[][] prompts = tokenizer.tokenize(items.stream().map(PromptResponse::prompt).toList());
        long[][] responses = tokenizer.tokenize(items.stream().map(PromptResponse::response).toList());
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            if (joint) {
                List<TokenSequence> sequences = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    sequences.add(layout.joint(prompts[i], responses[i]));
                }
                put(inputs, "", PaddedBatch.of(sequences));
            } else {
                List<TokenSequence> p = new ArrayList<>();
                List<TokenSequence> y = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    p.add(layout.promptAlone(prompts[i]));
                    y.add(layout.responseAlone(responses[i]));
                }
                put(inputs, "prompt_", PaddedBatch.of(p));
                put(inputs, "response_", PaddedBatch.of(y));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][] rewards = (float[][]) result.get("reward").orElseThrow().getValue();
                float[] flat = new float[rewards.length];
                for (int i = 0; i < rewards.length; i++) {
                    flat[i] = rewards[i][0];
                }
                return flat;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the exported model failed to run", e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static void put(Map<String, OnnxTensor> inputs, String prefix, PaddedBatch batch) {
        inputs.putAll(InputTensors.of(batch, true, prefix).map());
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the exported model failed", e);
        } finally {
            tokenizer.close();
        }
    }
}
