package io.rewardstream.trainer.retrain;

import io.rewardstream.data.FeaturePairs;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.Features;
import io.rewardstream.model.PromptResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores pair texts with a trained encoder (ONNX Runtime) and its linear head, in the joint layout: what the trainer
 * needs of a fine-tuned model, whose features cannot come from the store's cached ones. Close it to free the session.
 */
public final class TextScorer implements AutoCloseable {

    private final TextEncoder encoder;
    private final FeatureExtractor extractor;
    private final RewardHead head;

    public TextScorer(EncoderSource source, HeadWeights head, int maxLength, int threads) {
        this.encoder = TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE);
        try {
            this.extractor = new FeatureExtractor(encoder, FeatureLayout.JOINT, maxLength);
            this.head = new RewardHead(head);
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    public RewardHead head() {
        return head;
    }

    /** The pairs' features under this encoder; pairs without texts are left out. */
    public FeaturePairs features(List<TrainingPair> pairs) {
        List<PromptResponse> items = new ArrayList<>();
        List<TrainingPair> kept = new ArrayList<>();
        for (TrainingPair pair : pairs) {
            if (pair.texts() != null) {
                kept.add(pair);
                items.add(new PromptResponse(pair.texts().prompt(), pair.texts().chosen()));
                items.add(new PromptResponse(pair.texts().prompt(), pair.texts().rejected()));
            }
        }
        Features features = extractor.extract(items);
        int n = kept.size();
        float[][] chosen = new float[n][];
        float[][] rejected = new float[n][];
        int[] chosenLength = new int[n];
        int[] rejectedLength = new int[n];
        float[] margin = new float[n];
        boolean anyMargin = false;
        for (int i = 0; i < n; i++) {
            chosen[i] = features.rows()[2 * i];
            rejected[i] = features.rows()[2 * i + 1];
            chosenLength[i] = kept.get(i).chosenLength();
            rejectedLength[i] = kept.get(i).rejectedLength();
            margin[i] = kept.get(i).strength();
            anyMargin |= !Float.isNaN(margin[i]);
        }
        return new FeaturePairs(chosen, rejected, anyMargin ? margin : null, chosenLength, rejectedLength);
    }

    /** r_chosen - r_rejected of one pair with texts. */
    public double gap(PairTexts texts) {
        Features f = extractor.extract(List.of(new PromptResponse(texts.prompt(), texts.chosen()),
                new PromptResponse(texts.prompt(), texts.rejected())));
        return (double) head.score(f.rows()[0]) - head.score(f.rows()[1]);
    }

    @Override
    public void close() {
        encoder.close();
    }
}
