package io.rewardstream.data;

import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.Features;
import io.rewardstream.model.PromptResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Preference pairs together with their head features, each text encoded once.
 *
 * @param truncated pairs where the chosen or the rejected input was cut to the maximum length
 */
public record EncodedPairs(List<PreferencePair> pairs, FeaturePairs features, int truncated) {

    public static EncodedPairs encode(FeatureExtractor extractor, List<PreferencePair> pairs,
                                      ObjIntConsumer<Integer> progress) {
        List<PromptResponse> items = new ArrayList<>(2 * pairs.size());
        for (PreferencePair pair : pairs) {
            items.add(new PromptResponse(pair.prompt(), pair.chosen()));
            items.add(new PromptResponse(pair.prompt(), pair.rejected()));
        }
        Features features = extractor.extract(items, progress);
        float[][] chosen = new float[pairs.size()][];
        float[][] rejected = new float[pairs.size()][];
        float[] margins = new float[pairs.size()];
        int[] chosenLength = new int[pairs.size()];
        int[] rejectedLength = new int[pairs.size()];
        boolean anyMargin = false;
        int truncated = 0;
        for (int i = 0; i < pairs.size(); i++) {
            chosen[i] = features.rows()[2 * i];
            rejected[i] = features.rows()[2 * i + 1];
            margins[i] = (float) pairs.get(i).margin();
            chosenLength[i] = pairs.get(i).chosen().length();
            rejectedLength[i] = pairs.get(i).rejected().length();
            anyMargin |= pairs.get(i).hasMargin();
            truncated += features.truncated()[2 * i] || features.truncated()[2 * i + 1] ? 1 : 0;
        }
        return new EncodedPairs(List.copyOf(pairs), new FeaturePairs(chosen, rejected, anyMargin ? margins : null,
                chosenLength, rejectedLength),
                truncated);
    }

    public EncodedPairs select(int[] indices) {
        List<PreferencePair> subset = new ArrayList<>(indices.length);
        for (int i : indices) {
            subset.add(pairs.get(i));
        }
        return new EncodedPairs(subset, features.select(indices), -1);
    }

    public int size() {
        return pairs.size();
    }
}
