package io.rewardstream.trainer.retrain;

import static org.assertj.core.api.Assertions.assertThat;

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
}
