package io.rewardstream.learning;

import io.rewardstream.common.BadInputException;
import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.data.Split;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.evaluation.MetricsMap;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.evaluation.TemperatureScaling;
import io.rewardstream.head.RewardHead;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelMetadata;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a reward model from pairs end to end: split by prompt, encode every text once, fit the head with
 * Bradley-Terry, fit the calibration temperature and measure on the validation pairs, write the model directory.
 */
public final class OfflineTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineTrainer.class);

    private OfflineTrainer() {
    }

    public static TrainingOutcome train(TrainRequest request, Path out, TrainingProgress progress) {
        if (request.pairs().size() < 2) {
            throw new BadInputException("at least 2 usable pairs are needed to train, got " + request.pairs().size());
        }
        Split.Indices split = Split.byGroup(request.pairs(), PreferencePair::prompt, request.validationFraction(),
                request.options().seed());
        try (TextEncoder encoder = TextEncoder.load(request.encoder(), request.threads(), TextEncoder.DEFAULT_BATCH_SIZE)) {
            FeatureExtractor extractor = new FeatureExtractor(encoder, request.layout(), request.maxLength());
            EncodedPairs all = EncodedPairs.encode(extractor, request.pairs(), progress::encoded);
            EncodedPairs train = all.select(split.kept());
            EncodedPairs validation = all.select(split.heldOut());
            BradleyTerryTrainer.Result result = new BradleyTerryTrainer(request.options())
                    .train(train.features(), validation.features(), progress::epoch);
            RewardHead head = new RewardHead(result.head());
            double temperature = TemperatureScaling.fit(RewardPairs.gaps(head, (validation.size() > 0 ? validation : train).features()));
            PairwiseMetrics trainMetrics = RewardPairs.evaluate(head, train.features(), temperature);
            PairwiseMetrics metrics = validation.size() > 0 ? RewardPairs.evaluate(head, validation.features(), temperature)
                    : trainMetrics;
            byte[] headOnnx = ModelDirectory.headBytes(result.head(), extractor.width());
            ModelMetadata metadata = metadata(request, extractor, headOnnx, trainMetrics, metrics,
                    trainingSummary(request, train.size(), validation.size(), all.truncated(), result));
            ModelDirectory.write(out, metadata, headOnnx, request.encoder());
            LOG.info("Wrote model {} v{} to {} (validation accuracy {})", request.name(), request.version(), out,
                    metrics.accuracy());
            return new TrainingOutcome(metadata, result.head(), metrics);
        }
    }

    private static ModelMetadata metadata(TrainRequest request, FeatureExtractor extractor, byte[] headOnnx,
                                          PairwiseMetrics train, PairwiseMetrics validation,
                                          Map<String, Object> training) {
        var encoder = request.encoder();
        return new ModelMetadata(ModelMetadata.FORMAT, request.name(), request.version(), Instant.now().toString(),
                new ModelMetadata.Encoder(encoder.name(), encoder.builtin(), encoder.sha256(),
                        extractor.encoder().hiddenSize(), encoder.builtin() ? null : ModelDirectory.ENCODER),
                encoder.builtin() ? "builtin:" + encoder.name() : ModelDirectory.TOKENIZER, request.maxLength(),
                new ModelMetadata.FeatureSpec(request.layout().manifestName(), "mean+l2", extractor.width()),
                new ModelMetadata.Head(ModelDirectory.HEAD, EncoderSource.sha256(headOnnx),
                        request.options().hidden(), request.options().activation().name()),
                new ModelMetadata.Normalization(train.rewardMean(), train.rewardStd()), validation.temperature(),
                MetricsMap.of(validation), training);
    }

    private static Map<String, Object> trainingSummary(TrainRequest request, int trainPairs, int validationPairs,
                                                       int truncated, BradleyTerryTrainer.Result result) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("source", request.source());
        summary.put("pairs", request.pairs().size());
        summary.put("train_pairs", trainPairs);
        summary.put("validation_pairs", validationPairs);
        summary.put("skipped_lines", request.skippedLines());
        summary.put("truncated_pairs", truncated);
        summary.put("seed", request.options().seed());
        summary.put("epochs", result.epochs());
        summary.put("best_epoch", result.bestEpoch());
        summary.put("options", request.options());
        return summary;
    }
}
