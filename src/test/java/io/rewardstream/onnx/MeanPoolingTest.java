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

    @Test
    void shouldPoolAFlatBatchExactlyAsTheNestedOne() {
        // Given two rows of three tokens of width two, the second row with one padding token
        float[][][] hidden = {{{0.1f, -2f}, {3.3f, 0.7f}, {-1.1f, 5f}}, {{2f, 2.5f}, {-0.3f, 1f}, {9f, 9f}}};
        long[][] mask = {{1, 1, 1}, {1, 1, 0}};
        float[] flat = new float[12];
        long[] flatMask = new long[6];
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 3; t++) {
                flatMask[r * 3 + t] = mask[r][t];
                for (int d = 0; d < 2; d++) {
                    flat[(r * 3 + t) * 2 + d] = hidden[r][t][d];
                }
            }
        }

        // When pooled both ways, then the vectors are bit for bit equal
        float[][] nested = MeanPooling.pool(hidden, mask);
        float[][] pooled = MeanPooling.pool(flat, flatMask, 2, 3, 2);
        assertThat(pooled[0]).containsExactly(nested[0]);
        assertThat(pooled[1]).containsExactly(nested[1]);
    }
}
