package io.rewardstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelTest {

    @TempDir
    Path temp;

    @Test
    void shouldLearnTheHiddenRuleOfSyntheticPreferencesAlmostPerfectly() {
        try (RewardModel model = RewardModel.load(ModelFixtures.trained(FeatureLayout.SEPARATE), 2)) {
            EncodedPairs test = EncodedPairs.encode(model.extractor(), new SyntheticPreferences(99, 0).pairs(300),
                    (d, t) -> { });

            PairwiseMetrics metrics = RewardPairs.evaluate(model.head(), test.features(), model.metadata().temperature());

            assertThat(metrics.accuracy()).isGreaterThan(0.97);
            assertThat(model.metadata().metrics().get("accuracy")).isGreaterThan(0.9);
            assertThat(model.metadata().normalization().std()).isPositive();
        }
    }

    @Test
    void shouldGiveAResponseTheSameRewardWhateverElseIsInItsBatch() {
        try (RewardModel model = RewardModel.load(ModelFixtures.trained(FeatureLayout.SEPARATE), 2)) {
            PromptResponse item = new PromptResponse("How do I fix a dripping tap?", "Figure it out yourself.");
            PromptResponse longer = new PromptResponse("How do I back up a laptop?",
                    "Buy an external drive larger than the disk and schedule an automatic weekly copy. ".repeat(5));

            double alone = model.score(List.of(item)).get(0).reward();
            double batched = model.score(List.of(longer, item)).get(1).reward();

            assertThat(batched).isCloseTo(alone, within(1e-5));
        }
    }

    @Test
    void shouldStandardiseRewardsWithTheShippedMeanAndStd() {
        try (RewardModel model = RewardModel.load(ModelFixtures.trained(FeatureLayout.SEPARATE), 2)) {
            RewardModel.Score score = model.score(List.of(new PromptResponse("Hi", "Hello there."))).get(0);
            ModelMetadata.Normalization n = model.metadata().normalization();

            assertThat(score.normalized()).isCloseTo((score.reward() - n.mean()) / n.std(), within(1e-9));
        }
    }

    @Test
    void shouldRefuseAModelWhoseHeadDoesNotMatchItsChecksum() throws IOException {
        Path copy = copyOf(ModelFixtures.trained(FeatureLayout.SEPARATE));
        byte[] head = Files.readAllBytes(copy.resolve(ModelDirectory.HEAD));
        head[head.length - 1] ^= 1;
        Files.write(copy.resolve(ModelDirectory.HEAD), head);

        assertThatThrownBy(() -> RewardModel.load(copy, 1)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("does not match its sha256");
    }

    @Test
    void shouldRefuseADirectoryWithoutMetadata() {
        assertThatThrownBy(() -> RewardModel.load(temp, 1)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("metadata.json is missing");
    }

    private Path copyOf(Path model) throws IOException {
        Path copy = temp.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return copy;
    }
}
