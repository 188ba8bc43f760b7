package io.rewardstream.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    @Test
    void shouldCountOnlyThePairsTheTwoModelsDisagreeOn() {
        // Given gaps r_chosen - r_rejected of two models on five pairs
        double[] candidate = {1.0, 0.5, -0.2, 0.3, 0.0};
        double[] live = {0.8, -0.1, -0.3, -0.4, 0.2};

        // When
        PairedComparison paired = PairedComparison.of(candidate, live);

        // Then: pairs 2 and 4 only the candidate gets right, pair 5 only live (a tie is not right)
        assertThat(paired).isEqualTo(new PairedComparison(5, 2, 1));
        assertThat(paired.gain()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void shouldGiveTheExactOneSidedMcNemarProbability() {
        // 10 of 10 discordant pairs: 0.5^10
        assertThat(new PairedComparison(100, 10, 0).pValue()).isCloseTo(Math.pow(0.5, 10), within(1e-12));
        // 5 of 10: P(X >= 5) for Binomial(10, 0.5) = 638 / 1024
        assertThat(new PairedComparison(100, 5, 5).pValue()).isCloseTo(638.0 / 1024, within(1e-12));
        // 0 of 3: certain
        assertThat(new PairedComparison(100, 0, 3).pValue()).isCloseTo(1.0, within(1e-12));
        assertThat(new PairedComparison(100, 0, 0).pValue()).isEqualTo(1.0);
        // large counts stay finite: 600 of 1000 is far beyond chance
        assertThat(new PairedComparison(5000, 600, 400).pValue()).isBetween(0.0, 1e-9);
    }

    @Test
    void shouldRefuseGapsOfDifferentLengths() {
        assertThatThrownBy(() -> PairedComparison.of(new double[3], new double[4]))
                .hasMessageContaining("cannot be paired");
    }
}
