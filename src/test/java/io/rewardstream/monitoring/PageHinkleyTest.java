package io.rewardstream.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    @Test
    void shouldStayQuietOnAStationaryErrorRate() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        Random random = new Random(1);

        for (int i = 0; i < 50_000; i++) {
            assertThat(detector.add(random.nextDouble() < 0.2 ? 1 : 0, i)).isNull();
        }
    }

    @Test
    void shouldFireSoonAfterTheErrorRateJumpsAndEstimateWhereTheChangeBegan() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        Random random = new Random(2);
        for (int i = 0; i < 2000; i++) {
            assertThat(detector.add(random.nextDouble() < 0.1 ? 1 : 0, i)).isNull();
        }

        PageHinkley.Detection detection = null;
        int after = 0;
        while (detection == null && after < 1000) {
            detection = detector.add(random.nextDouble() < 0.8 ? 1 : 0, 2000 + after);
            after++;
        }

        assertThat(detection).isNotNull();
        assertThat(after).isLessThan(100);
        assertThat(detection.changeStart()).isBetween(1950L, 2010L);
        assertThat(detection.baseline()).isLessThan(0.2);
        assertThat(detection.current()).isGreaterThan(0.5);
    }

    @Test
    void shouldNotFireBeforeTheMinimumSamples() {
        PageHinkley detector = new PageHinkley(0.0, 1, 30);

        for (int i = 0; i < 29; i++) {
            assertThat(detector.add(1, i)).isNull();
        }
    }
}
