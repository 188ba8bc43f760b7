package io.rewardstream.trainer.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.evaluation.PairedComparison;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

    private final PromotionGate gate = new PromotionGate(0.01, 0.55);

    @Test
    void shouldPromoteAFirstModelAboveTheFloor() {
        assertThat(gate.decide(0.7, null).promote()).isTrue();
    }

    @Test
    void shouldRejectACandidateBelowTheFloorEvenWithoutALiveModel() {
        PromotionGate.Decision decision = gate.decide(0.54, null);

        assertThat(decision.promote()).isFalse();
        assertThat(decision.reason()).contains("below the floor");
    }

    @Test
    void shouldPromoteACandidateWithinTheToleranceOfTheLiveModel() {
        assertThat(gate.decide(0.795, 0.80).promote()).isTrue();
    }

    @Test
    void shouldRejectACandidateWorseThanTheLiveModelByMoreThanTheTolerance() {
        PromotionGate.Decision decision = gate.decide(0.78, 0.80);

        assertThat(decision.promote()).isFalse();
        assertThat(decision.reason()).contains("by more than the tolerance");
    }

    @Test
    void shouldRejectACandidateWithoutHeldOutPairs() {
        assertThat(gate.decide(Double.NaN, null).promote()).isFalse();
    }

    private final PromotionGate improvement = new PromotionGate(0.01, 0.55,
            new PromotionPolicy(PromotionPolicy.Kind.IMPROVEMENT, 0.01, 0.05));

    @Test
    void shouldNotPromoteAnEqualCandidateUnderTheImprovementPolicy() {
        // Given a retrain as good as the live model: the tolerance policy would promote it
        PairedComparison paired = new PairedComparison(500, 20, 20);

        // When
        PromotionGate.Decision decision = improvement.decide(0.80, 0.80, paired);

        // Then
        assertThat(gate.decide(0.80, 0.80, paired).promote()).isTrue();
        assertThat(decision.promote()).isFalse();
        assertThat(decision.reason()).startsWith("no improvement");
    }

    @Test
    void shouldPromoteASignificantImprovementAndRefuseAnInsignificantOne() {
        // Given two candidates 0.02 better than live on 500 pairs: one wins 25 of the 35 pairs they disagree
        // on, the other 60 of 110
        PairedComparison clear = new PairedComparison(500, 25, 10);
        PairedComparison noisy = new PairedComparison(500, 60, 50);

        // When
        PromotionGate.Decision promoted = improvement.decide(0.82, 0.80, clear);
        PromotionGate.Decision refused = improvement.decide(0.82, 0.80, noisy);

        // Then
        assertThat(promoted.promote()).as(promoted.reason()).isTrue();
        assertThat(promoted.reason()).contains("McNemar p = 0.00");
        assertThat(refused.promote()).isFalse();
        assertThat(refused.reason()).startsWith("improvement not significant");
    }

    @Test
    void shouldPromoteTheFirstModelUnderTheImprovementPolicy() {
        assertThat(improvement.decide(0.7, null, null).promote()).isTrue();
    }
}
