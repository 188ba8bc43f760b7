package io.rewardstream.trainer.prequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialWindowsTest {

    @Test
    void shouldCloseEachHoppingWindowOnceWithItsAccuracyLogLossAndMeanGap() {
        PrequentialWindows windows = new PrequentialWindows(10, 5);
        List<PrequentialWindows.Window> closed = new ArrayList<>();

        closed.addAll(windows.add(1, 2.0, 1.0));
        closed.addAll(windows.add(6, -2.0, 1.0));
        closed.addAll(windows.add(12, 1.0, 1.0));
        closed.addAll(windows.add(30, 1.0, 1.0));

        assertThat(closed).extracting(PrequentialWindows.Window::start).containsExactly(0L, 5L, 10L);
        PrequentialWindows.Window first = closed.get(0);
        assertThat(first.pairs()).isEqualTo(2);
        assertThat(first.accuracy()).isEqualTo(0.5);
        assertThat(first.meanGap()).isCloseTo(0.0, within(1e-12));
        assertThat(first.logLoss()).isCloseTo((Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(2))) / 2, within(1e-12));
        assertThat(closed.get(1).pairs()).isEqualTo(2);
        assertThat(closed.get(1).accuracy()).isEqualTo(0.5);
        assertThat(closed.get(2).pairs()).isEqualTo(1);
    }
}
