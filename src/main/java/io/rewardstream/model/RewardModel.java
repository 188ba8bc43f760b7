package io.rewardstream.model;

import io.rewardstream.encoder.EncoderPool;
import io.rewardstream.encoder.Precision;
import io.rewardstream.head.RewardHead;
import io.rewardstream.runtime.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded model: encoder, feature layout and head, scoring (prompt, response) items. Thread-safe; close it to
 * release the native encoder session.
 */
public final class RewardModel implements AutoCloseable {

    /** One scored item: the raw reward, the reward standardised with the model's normalisation, truncation. */
    public record Score(double reward, double normalized, boolean truncated) {
    }

    private final ModelMetadata metadata;
    private final FeatureExtractor extractor;
    private final RewardHead head;
    private final AutoCloseable encoderHold;

    /**
     * @param encoderHold released when the model closes: the encoder itself, or a lease on a shared one
     * @throws ModelFormatException when the head's width differs from the encoder's features or the metadata's
     */
    public RewardModel(ModelMetadata metadata, FeatureExtractor extractor, RewardHead head, AutoCloseable encoderHold) {
        int expected = extractor.width();
        if (head.inputWidth() != expected || metadata.features().width() != expected) {
            throw new ModelFormatException("head takes " + head.inputWidth() + " features but encoder "
                    + extractor.encoder().source().name() + " with layout " + extractor.layout().manifestName()
                    + " gives " + expected + " (the metadata says " + metadata.features().width() + ")");
        }
        this.metadata = metadata;
        this.extractor = extractor;
        this.head = head;
        this.encoderHold = encoderHold;
    }

    /** Loads a model directory written by {@link ModelDirectory#write}, checking checksums and dimensions. */
    public static RewardModel load(Path dir, int threads) {
        return load(dir, threads, Device.CPU);
    }

    /** As {@link #load(Path, int)}, running the encoder on {@code device}; see {@link ModelLoader}. */
    public static RewardModel load(Path dir, int threads, Device device) {
        return new ModelLoader(new EncoderPool(), threads, device).load(dir);
    }

    /** As {@link #load(Path, int, Device)}, the encoder at {@code precision}, prompts kept in {@code prompts}. */
    public static RewardModel load(Path dir, int threads, Device device, Precision precision, PromptCache prompts) {
        return new ModelLoader(new EncoderPool(), threads, device, precision, prompts).load(dir);
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public FeatureExtractor extractor() {
        return extractor;
    }

    public RewardHead head() {
        return head;
    }

    public List<Score> score(List<PromptResponse> items) {
        Features features = extractor.extract(items);
        List<Score> scores = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            double reward = head.score(features.rows()[i]);
            scores.add(new Score(reward, metadata.normalization().apply(reward), features.truncated()[i]));
        }
        return scores;
    }

    @Override
    public void close() {
        try {
            encoderHold.close();
        } catch (Exception e) {
            throw new IllegalStateException("releasing the encoder of " + metadata.name() + " failed", e);
        }
    }
}
