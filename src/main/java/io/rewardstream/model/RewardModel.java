package io.rewardstream.model;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.HeadWeights;
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

    public RewardModel(ModelMetadata metadata, FeatureExtractor extractor, RewardHead head) {
        int expected = extractor.width();
        if (head.inputWidth() != expected) {
            throw new ModelFormatException("head takes " + head.inputWidth() + " features but encoder "
                    + extractor.encoder().source().name() + " with layout " + extractor.layout() + " gives " + expected);
        }
        this.metadata = metadata;
        this.extractor = extractor;
        this.head = head;
    }

    /** Loads a model directory written by {@link ModelDirectory#write}, checking checksums and dimensions. */
    public static RewardModel load(Path dir, int threads) {
        return load(dir, threads, Device.CPU);
    }

    /** As {@link #load(Path, int)}, running the encoder on {@code device}. */
    public static RewardModel load(Path dir, int threads, Device device) {
        ModelMetadata metadata = ModelDirectory.readMetadata(dir);
        HeadWeights weights = ModelDirectory.readHead(dir, metadata);
        EncoderSource source = ModelDirectory.encoderOf(dir, metadata);
        TextEncoder encoder = TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE, device);
        try {
            FeatureExtractor extractor = new FeatureExtractor(encoder, metadata.features().featureLayout(),
                    metadata.maxLength());
            return new RewardModel(metadata, extractor, new RewardHead(weights));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
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
        extractor.encoder().close();
    }
}
