package io.rewardstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.data.Split;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.evaluation.LengthRule;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingProgress;
import io.rewardstream.model.RewardModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default recipe on real HH-RLHF pairs (read from ../shared/data, never copied): trained on the prompts of
 * one split and measured on the 10% of prompts it never saw, it must beat both length rules. Skipped, saying
 * why, where the data set is absent.
 */
class RealDataAccuracyIT {

    static Path dataFile() {
        return Path.of(System.getProperty("rewardstream.data.dir", "../shared/data"), "hh-rlhf-harmless-4k.jsonl");
    }

    @TempDir
    Path temp;

    @Test
    void shouldBeatBothLengthRulesOnHeldOutRealPreferences() {
        Path data = dataFile();
        assumeTrue(Files.isRegularFile(data), "real preference data not found at " + data + "; skipping");
        List<PreferencePair> all = PairFile.read(data, false).records();
        Split.Indices split = Split.byGroup(all, PreferencePair::prompt, 0.1, 2026);
        List<PreferencePair> train = Arrays.stream(split.kept()).mapToObj(all::get).toList();
        List<PreferencePair> test = Arrays.stream(split.heldOut()).mapToObj(all::get).toList();
        Path model = temp.resolve("model");

        OfflineTrainer.train(new TrainRequest(train, 0, data.getFileName().toString(),
                EncoderSource.resolve(EncoderSource.DEFAULT), FeatureLayout.SEPARATE, 256, 0.1,
                TrainingOptions.defaults(42), "hh-it", 1, 0), model, TrainingProgress.SILENT);

        try (RewardModel rewardModel = RewardModel.load(model, 0)) {
            EncodedPairs encoded = EncodedPairs.encode(rewardModel.extractor(), test, (d, t) -> { });
            PairwiseMetrics metrics = RewardPairs.evaluate(rewardModel.head(), encoded.features(),
                    rewardModel.metadata().temperature());
            double shorter = LengthRule.accuracy(encoded.pairs(), LengthRule.SHORTER);
            double longer = LengthRule.accuracy(encoded.pairs(), LengthRule.LONGER);
            System.out.printf("HH held-out: %d pairs, accuracy %.3f, shorter-wins %.3f, longer-wins %.3f, ECE %.3f%n",
                    metrics.pairs(), metrics.accuracy(), shorter, longer, metrics.ece());
            assertThat(test).hasSizeGreaterThan(300);
            assertThat(metrics.accuracy()).isGreaterThan(Math.max(shorter, longer));
            assertThat(metrics.ece()).isLessThan(0.1);
        }
    }
}
