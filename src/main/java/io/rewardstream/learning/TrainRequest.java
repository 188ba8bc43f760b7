package io.rewardstream.learning;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import java.util.List;

/**
 * Everything one offline training run needs.
 *
 * @param pairs              the usable pairs read from the input
 * @param skippedLines       input lines that could not be used
 * @param source             a short description of the input, for the model's metadata
 * @param encoder            the encoder to build features with
 * @param layout             how features are formed
 * @param maxLength          encoder sequence limit
 * @param validationFraction share of pairs (grouped by prompt) held out for early stopping, calibration and metrics
 * @param options            head training options (its seed also draws the validation split)
 * @param name               model name
 * @param version            model version
 * @param threads            ONNX Runtime intra-op threads
 * @param fineTuning         how the encoder itself trains, or null for a head on the frozen encoder's features
 *                           ({@code layout} is then ignored: fine-tuning uses the joint layout)
 */
public record TrainRequest(List<PreferencePair> pairs, int skippedLines, String source, EncoderSource encoder,
                           FeatureLayout layout, int maxLength, double validationFraction, TrainingOptions options,
                           String name, long version, int threads, FineTuning fineTuning) {

    /** A request for a head on the frozen encoder's features. */
    public TrainRequest(List<PreferencePair> pairs, int skippedLines, String source, EncoderSource encoder,
                        FeatureLayout layout, int maxLength, double validationFraction, TrainingOptions options,
                        String name, long version, int threads) {
        this(pairs, skippedLines, source, encoder, layout, maxLength, validationFraction, options, name, version,
                threads, null);
    }
}
