package io.rewardstream.trainer.prequential;

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
    void shouldDateTheChangeByStreamTimeWhenLateRecordsCarryEarlierTimestamps() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        for (int i = 0; i < 500; i++) {
            assertThat(detector.add(0, 1000 + i)).isNull();
        }
        // The change starts at time 2000; a lagging partition still delivers correct answers stamped 1500..1509
        // between the first wrong ones.
        PageHinkley.Detection detection = null;
        int late = 0;
        for (int i = 0; detection == null && i < 500; i++) {
            detection = i % 3 == 1 && late < 10 ? detector.add(0, 1500 + late++) : detector.add(1, 2000 + i);
        }

        assertThat(detection).isNotNull();
        assertThat(detection.changeStart()).as("not the timestamp of a late record").isGreaterThanOrEqualTo(1499L);
    }

    @Test
    void shouldKeepStreamTimeAcrossARestartSoThatLateRecordsAfterItDoNotDateTheChangeEarly() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        for (int i = 0; i < 500; i++) {
            assertThat(detector.add(0, 1000 + i * 2)).isNull();
        }
        // A new model goes live; a lagging partition then delivers correct answers stamped 1500..1553, earlier than
        // the 1998 already seen, before the change (stamped from 2000 on) reaches the detector.
        detector.restart(0.0135, 74);
        for (int i = 0; i < 54; i++) {
            assertThat(detector.add(0, 1500 + i)).isNull();
        }
        PageHinkley.Detection detection = null;
        for (int i = 0; detection == null && i < 500; i++) {
            detection = detector.add(1, 2000 + i);
        }

        assertThat(detection).isNotNull();
        assertThat(detection.changeStart()).as("dated by the stream time before the restart").isEqualTo(1998L);
    }

    @Test
    void shouldNotFireBeforeTheMinimumSamples() {
        PageHinkley detector = new PageHinkley(0.0, 1, 30);

        for (int i = 0; i < 29; i++) {
            assertThat(detector.add(1, i)).isNull();
        }
    }

    @Test
    void shouldFireOnAStreamWrongFromTheFirstSampleWhenRestartedFromAKnownErrorRate() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        detector.restart(0.05, 100);

        PageHinkley.Detection detection = null;
        int after = 0;
        while (detection == null && after < 1000) {
            detection = detector.add(1, 500 + after);
            after++;
        }

        assertThat(detection).isNotNull();
        assertThat(after).isLessThan(80);
        assertThat(detection.changeStart()).as("dated at the first sample").isEqualTo(500L);
        assertThat(detection.baseline()).isEqualTo(0.05);
    }

    @Test
    void shouldTakeAStreamWrongFromTheFirstSampleAsItsBaselineWhenResetWithoutAPrior() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        detector.reset();

        for (int i = 0; i < 1000; i++) {
            assertThat(detector.add(1, i)).isNull();
        }
    }

    @Test
    void shouldStayQuietWhenTheStreamRunsAtTheHeldOutErrorRateItWasRestartedWith() {
        PageHinkley detector = new PageHinkley(0.05, 30, 30);
        detector.restart(0.3, 140);
        Random random = new Random(3);

        for (int i = 0; i < 50_000; i++) {
            assertThat(detector.add(random.nextDouble() < 0.3 ? 1 : 0, i)).isNull();
        }
    }
}
