package io.rewardstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(10, Duration.ofMillis(100), Duration.ofMillis(1_000));

    @Test
    void shouldDoubleTheWaitUntilTheCap() {
        // When / Then
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(1_000));
        assertThat(backoff.ceiling(200)).isEqualTo(Duration.ofMillis(1_000));
    }

    @Test
    void shouldDrawJitteredDelayBetweenHalfAndFullCeiling() {
        // When / Then
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(2).toMillis()).isBetween(200L, 400L);
        }
    }

    @Test
    void shouldRejectNegativeRetryCount() {
        assertThatThrownBy(() -> new RetryBackoff(-1, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
