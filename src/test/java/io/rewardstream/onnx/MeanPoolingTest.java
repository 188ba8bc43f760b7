package io.rewardstream.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeanPoolingTest {

    @Test
    void shouldAverageOnlyUnmaskedTokensAndNormaliseToUnitLength() {
        // Given two real tokens and one padding token with a huge value
        float[][][] hidden = {{{1f, 2f}, {3f, 2f}, {100f, -100f}}};
        long[][] mask = {{1, 1, 0}};

        // When pooled
        float[][] pooled = MeanPooling.pool(hidden, mask);

        // Then the mean (2, 2) is scaled to length 1
        float half = (float) Math.sqrt(0.5);
        assertThat(pooled[0]).containsExactly(new float[] {half, half}, within(1e-7f));
    }

    @Test
    void shouldGiveZerosForARowThatIsAllPadding() {
        float[][][] hidden = {{{1f, 2f}, {3f, 4f}}};
        long[][] mask = {{0, 0}};

        float[][] pooled = MeanPooling.pool(hidden, mask);

        assertThat(pooled[0]).containsExactly(0f, 0f);
    }
}
