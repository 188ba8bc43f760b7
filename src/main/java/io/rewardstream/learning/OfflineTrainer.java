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
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import io.rewardstream.learning.finetune.FineTuneRun;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.ModelDirectory;
import io.rewardstream.model.ModelMetadata;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a reward model from pairs end to end: split by prompt, then either fit a head on the frozen encoder's
 * features (every text encoded once) or fine-tune the encoder with its head ({@link FineTuneRun}); then fit the
 * calibration temperature, measure on the validation pairs through ONNX Runtime, and write the model directory
 * (with the trained encoder in it when the encoder was trained).
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
        return request.fineTuning() == null ? headOnFrozenEncoder(request, split, out, progress)
                : fineTuned(request, split, out, progress);
    }

    private static TrainingOutcome headOnFrozenEncoder(TrainRequest request, Split.Indices split, Path out,
                                                       TrainingProgress progress) {
        try (TextEncoder encoder = TextEncoder.load(request.encoder(), request.threads(),
                TextEncoder.DEFAULT_BATCH_SIZE)) {
            FeatureExtractor extractor = new FeatureExtractor(encoder, request.layout(), request.maxLength());
            EncodedPairs all = EncodedPairs.encode(extractor, request.pairs(), progress::encoded);
            EncodedPairs train = all.select(split.kept());
            EncodedPairs validation = all.select(split.heldOut());
            BradleyTerryTrainer.Result result = new BradleyTerryTrainer(request.options())
                    .train(train.features(), validation.features(), progress::epoch);
            Map<String, Object> summary = summary(request, train.size(), validation.size(), all.truncated());
            summary.put("encoder_training", "frozen");
            summary.put("epochs", result.epochs());
            summary.put("best_epoch", result.bestEpoch());
            summary.put("options", request.options());
            return finish(request, out, new Trained(request.encoder(), extractor, result.head(),
                    request.options().hidden(), request.options().activation()), train, validation, summary);
        }
    }

    private static TrainingOutcome fineTuned(TrainRequest request, Split.Indices split, Path out,
                                             TrainingProgress progress) {
        FineTuning tuning = request.fineTuning();
        FineTuneRecipe recipe = tuning.recipe();
        List<PreferencePair> trainPairs = select(request.pairs(), split.kept());
        List<PreferencePair> validationPairs = select(request.pairs(), split.heldOut());
        FineTuneRun.Result result = FineTuneRun.train(request.encoder(), trainPairs, validationPairs, recipe,
                tuning.threads(), listener(progress, recipe.epochs()), tuning.checkpoint(), tuning.stop());
        if (result.interrupted()) {
            LOG.info("Fine-tune stopped after {} s; its checkpoint is in {}", Math.round(result.seconds()),
                    tuning.checkpoint().file());
            return TrainingOutcome.stoppedEarly();
        }
        HeadWeights head = new HeadWeights(List.of(new DenseLayer(result.headWeights().length, 1,
                result.headWeights(), new float[] {result.headBias()})), Activation.NONE);
        try (TextEncoder encoder = TextEncoder.load(result.encoder(), request.threads(),
                TextEncoder.DEFAULT_BATCH_SIZE)) {
            FeatureExtractor extractor = new FeatureExtractor(encoder, FeatureLayout.JOINT, recipe.maxLength());
            EncodedPairs train = EncodedPairs.encode(extractor, trainPairs, progress::encoded);
            EncodedPairs validation = EncodedPairs.encode(extractor, validationPairs, progress::encoded);
            Map<String, Object> summary = summary(request, train.size(), validation.size(),
                    train.truncated() + validation.truncated());
            summary.put("encoder_training", recipe.training().label());
            summary.put("recipe", recipe.describe());
            summary.put("base_encoder", request.encoder().name());
            summary.put("base_encoder_sha256", request.encoder().sha256());
            summary.put("epochs", result.epochs().size() - 1);
            summary.put("best_epoch", result.bestEpoch());
            summary.put("epoch_reports", result.epochs());
            summary.put("fine_tune_seconds", Math.round(result.seconds()));
            return finish(request, out, new Trained(result.encoder(), extractor, head, 0, Activation.NONE), train,
                    validation, summary);
        }
    }

    /** The encoder a model's features come from, those features, and the head trained on them. */
    private record Trained(EncoderSource encoder, FeatureExtractor extractor, HeadWeights head, int hidden,
                           Activation activation) {
    }

    private static TrainingOutcome finish(TrainRequest request, Path out, Trained trained, EncodedPairs train,
                                          EncodedPairs validation, Map<String, Object> summary) {
        RewardHead head = new RewardHead(trained.head());
        double temperature = TemperatureScaling.fit(RewardPairs.gaps(head,
                (validation.size() > 0 ? validation : train).features()));
        PairwiseMetrics trainMetrics = RewardPairs.evaluate(head, train.features(), temperature);
        PairwiseMetrics metrics = validation.size() > 0
                ? RewardPairs.evaluate(head, validation.features(), temperature) : trainMetrics;
        byte[] headOnnx = ModelDirectory.headBytes(trained.head(), trained.extractor().width());
        ModelMetadata metadata = metadata(request, trained, headOnnx, trainMetrics, metrics, summary);
        ModelDirectory.write(out, metadata, headOnnx, trained.encoder());
        LOG.info("Wrote model {} v{} to {} (validation accuracy {})", request.name(), request.version(), out,
                metrics.accuracy());
        return new TrainingOutcome(metadata, trained.head(), metrics);
    }

    private static ModelMetadata metadata(TrainRequest request, Trained trained, byte[] headOnnx,
                                          PairwiseMetrics train, PairwiseMetrics validation,
                                          Map<String, Object> training) {
        EncoderSource encoder = trained.encoder();
        FeatureExtractor extractor = trained.extractor();
        return new ModelMetadata(ModelMetadata.FORMAT, request.name(), request.version(), Instant.now().toString(),
                new ModelMetadata.Encoder(encoder.name(), encoder.builtin(), encoder.sha256(),
                        extractor.encoder().hiddenSize(), encoder.builtin() ? null : ModelDirectory.ENCODER),
                encoder.builtin() ? "builtin:" + encoder.name() : ModelDirectory.TOKENIZER, extractor.maxLength(),
                new ModelMetadata.FeatureSpec(extractor.layout().manifestName(), "mean+l2", extractor.width()),
                new ModelMetadata.Head(ModelDirectory.HEAD, EncoderSource.sha256(headOnnx), trained.hidden(),
                        trained.activation().name()),
                new ModelMetadata.Normalization(train.rewardMean(), train.rewardStd()), validation.temperature(),
                MetricsMap.of(validation), training);
    }

    private static Map<String, Object> summary(TrainRequest request, int trainPairs, int validationPairs,
                                               int truncated) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("source", request.source());
        summary.put("pairs", request.pairs().size());
        summary.put("train_pairs", trainPairs);
        summary.put("validation_pairs", validationPairs);
        summary.put("skipped_lines", request.skippedLines());
        summary.put("truncated_pairs", truncated);
        summary.put("seed", request.options().seed());
        return summary;
    }

    private static List<PreferencePair> select(List<PreferencePair> pairs, int[] indices) {
        List<PreferencePair> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(pairs.get(i));
        }
        return out;
    }

    private static FineTuneRun.Listener listener(TrainingProgress progress, int maxEpochs) {
        return new FineTuneRun.Listener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, double loss) {
                progress.fineTuneStep(epoch, maxEpochs, step, stepsPerEpoch, loss);
            }

            @Override
            public void onEpoch(FineTuneRun.EpochReport report) {
                progress.fineTuneEpoch(report.epoch(), maxEpochs, report.trainLoss(), report.validationAccuracy(),
                        report.seconds());
            }
        };
    }
}
