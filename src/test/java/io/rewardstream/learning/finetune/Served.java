package io.rewardstream.learning.finetune;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.model.FeatureExtractor;
import java.util.List;

/** A fine-tuned result as it is served: its written-back graph in ONNX Runtime, joint layout, its head. */
final class Served {

    private Served() {
    }

    /** Pairwise accuracy (ties half) of the served result on {@code pairs}. */
    static double accuracy(FineTuneRun.Result result, List<PreferencePair> pairs, int maxLength) {
        RewardHead head = new RewardHead(new HeadWeights(List.of(new DenseLayer(result.headWeights().length, 1,
                result.headWeights(), new float[] {result.headBias()})), Activation.NONE));
        try (TextEncoder served = TextEncoder.load(result.encoder(), 1, 16)) {
            FeatureExtractor extractor = new FeatureExtractor(served, FeatureLayout.JOINT, maxLength);
            EncodedPairs encoded = EncodedPairs.encode(extractor, pairs, (done, total) -> { });
            return RewardPairs.evaluate(head, encoded.features(), 1.0).accuracy();
        }
    }
}
