package io.rewardstream.cli;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import picocli.CommandLine.Option;

/** Options shared by commands that build features. */
final class EncoderOptions {

    @Option(names = "--encoder", defaultValue = EncoderSource.DEFAULT, paramLabel = "NAME|DIR",
            description = "Built-in encoder (all-minilm-l6-v2-layer-mean, all-minilm-l6-v2, all-minilm-l6-v2-q,"
                    + " e5-small-v2-layer-mean, e5-small-v2, e5-small-v2-q) or a directory with model.onnx"
                    + " and tokenizer.json. Default: ${DEFAULT-VALUE}.")
    String encoder;

    @Option(names = "--max-length", defaultValue = "256", paramLabel = "N",
            description = "Maximum tokens per encoder input, special tokens included. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--layout", defaultValue = "SEPARATE", paramLabel = "separate|joint",
            converter = LayoutConverter.class,
            description = "separate: prompt and response encoded apart; joint: one sequence. Default: separate.")
    FeatureLayout layout;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads (0: one per core).")
    int threads;

    /** Parses the manifest names of the layouts, in any case. */
    static final class LayoutConverter implements picocli.CommandLine.ITypeConverter<FeatureLayout> {
        @Override
        public FeatureLayout convert(String value) {
            for (FeatureLayout layout : FeatureLayout.values()) {
                if (layout.name().equalsIgnoreCase(value)) {
                    return layout;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("layout must be separate or joint, got '" + value + "'");
        }
    }
}
