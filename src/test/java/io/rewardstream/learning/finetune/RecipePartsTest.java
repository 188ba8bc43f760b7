package io.rewardstream.learning.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The recipe's settings, the learning-rate schedule and the length-bucketed batch order. */
class RecipePartsTest {

    @Test
    void shouldReadBackEveryTrainingLabel() {
        for (String text : List.of("frozen", "full", "top-1", "top-2", "top-12")) {
            assertThat(EncoderTraining.parse(text).label()).isEqualTo(text);
        }
        assertThat(EncoderTraining.parse("top-2")).isEqualTo(EncoderTraining.top(2));
        assertThat(EncoderTraining.top(2).firstTrainedLayer(6)).isEqualTo(4);
        assertThat(EncoderTraining.full().firstTrainedLayer(6)).isZero();
    }

    @Test
    void shouldRefuseAnyOtherTrainingNamingTheAcceptedForms() {
        for (String text : List.of("top-0", "top-", "top-x", "top2", "partial", "", "FULL")) {
            assertThatThrownBy(() -> EncoderTraining.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frozen, full, top-N");
        }
        assertThatThrownBy(() -> EncoderTraining.top(7).firstTrainedLayer(6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6");
    }

    @Test
    void shouldParseARecipeAsTheDefaultsWithTheNamedChanges() {
        FineTuneRecipe recipe = FineTuneRecipe.parse("top-3,epochs=7,lr=3e-5,layer-decay=0.8,seed=9");

        assertThat(recipe).isEqualTo(FineTuneRecipe.defaults().withTraining(EncoderTraining.top(3)).withEpochs(7)
                .withEncoderLearningRate(3e-5f).withLayerDecay(0.8f).withSeed(9));
        assertThat(FineTuneRecipe.parse(recipe.describe())).isEqualTo(recipe);
        assertThat(FineTuneRecipe.parse(recipe.difference())).isEqualTo(recipe);
        assertThat(recipe.difference()).startsWith("top-3,").contains("epochs=7", "seed=9")
                .doesNotContain("max-length");
        assertThat(FineTuneRecipe.defaults().difference())
                .isEqualTo(FineTuneRecipe.defaults().training().label());
    }

    @Test
    void shouldStartBertBaseFromItsOwnMeasuredRecipeAndEveryOtherEncoderFromTheDefaults() {
        FineTuneRecipe bert = FineTuneRecipe.defaultsFor("bert-base-uncased");

        assertThat(bert).isEqualTo(FineTuneRecipe.defaults().withTraining(EncoderTraining.top(4))
                .withEncoderLearningRate(5e-5f).withEpochs(2));
        assertThat(FineTuneRecipe.defaultsFor("all-minilm-l6-v2-layer-mean")).isEqualTo(FineTuneRecipe.defaults());
        assertThat(FineTuneRecipe.defaultsFor("/some/dir")).isEqualTo(FineTuneRecipe.defaults());
        assertThat(FineTuneRecipe.parse("top-2,seed=3", bert)).as("changes apply over the encoder's recipe")
                .isEqualTo(bert.withTraining(EncoderTraining.top(2)).withSeed(3));
    }

    @Test
    void shouldRefuseAnUnknownSettingOrAValueOutOfRange() {
        assertThatThrownBy(() -> FineTuneRecipe.parse("full,speed=2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown recipe setting 'speed'");
        assertThatThrownBy(() -> FineTuneRecipe.parse("full,warmup=2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warmupFraction");
        assertThatThrownBy(() -> FineTuneRecipe.parse("full,probe=yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> FineTuneRecipe.parse("full,epochs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key=value");
    }

    @Test
    void shouldWarmUpLinearlyThenDecayLinearlyToTheEnd() {
        LearningRateSchedule schedule = LearningRateSchedule.of(10, 0.2f);

        float[] factors = new float[10];
        for (int step = 0; step < 10; step++) {
            factors[step] = schedule.factor(step);
        }
        assertThat(schedule.warmupSteps()).isEqualTo(2);
        assertThat(factors).containsExactly(new float[] {0.5f, 1f, 1f, 0.875f, 0.75f, 0.625f, 0.5f, 0.375f, 0.25f,
                0.125f}, within(1e-6f));
        assertThat(LearningRateSchedule.of(4, 0f).factor(0)).isEqualTo(1f);
    }

    @Test
    void shouldGiveTheSameBatchesForTheSameSeedAndEpochAndOthersForAnotherEpoch() {
        int[] lengths = lengths(1000);
        List<int[]> a = LengthBuckets.batches(lengths, 16, 42, 1);

        assertThat(a).usingRecursiveComparison().isEqualTo(LengthBuckets.batches(lengths, 16, 42, 1));
        assertThat(flatten(a)).isNotEqualTo(flatten(LengthBuckets.batches(lengths, 16, 42, 2)));
        assertThat(flatten(a)).isNotEqualTo(flatten(LengthBuckets.batches(lengths, 16, 43, 1)));
        int[] all = flatten(a);
        Arrays.sort(all);
        assertThat(all).containsExactly(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThat(a).hasSize(LengthBuckets.count(1000, 16));
    }

    @Test
    void shouldPadFarLessThanRandomBatches() {
        int[] lengths = lengths(2000);
        long bucketed = padding(LengthBuckets.batches(lengths, 16, 1, 1), lengths);
        List<int[]> random = new ArrayList<>();
        int[] order = java.util.stream.IntStream.range(0, 2000).toArray();
        for (int from = 0; from < order.length; from += 16) {
            random.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + 16)));
        }
        assertThat(bucketed).isLessThan(padding(random, lengths) / 4);
    }

    private static int[] lengths(int count) {
        Random random = new Random(9);
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = 5 + random.nextInt(250);
        }
        return lengths;
    }

    private static long padding(List<int[]> batches, int[] lengths) {
        long pad = 0;
        for (int[] batch : batches) {
            int max = Arrays.stream(batch).map(i -> lengths[i]).max().orElse(0);
            for (int i : batch) {
                pad += max - lengths[i];
            }
        }
        return pad;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }
}
