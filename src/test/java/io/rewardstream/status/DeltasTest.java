package io.rewardstream.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class DeltasTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary sizes = DistributionSummary.builder("sizes")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    private final Deltas deltas = new Deltas();

    @Test
    void shouldGiveTheRateOfACounterSinceTheLastTickAndNothingOnTheFirst() {
        assertThat(deltas.rate("c", 100, 5)).isNaN();
        assertThat(deltas.rate("c", 150, 5)).isEqualTo(10.0);
        assertThat(deltas.rate("c", 150, 5)).isZero();
    }

    @Test
    void shouldTakeQuantilesAndMeansOfTheLastIntervalOnlyNotOfEverythingSinceStart() {
        // Given a first interval of small batches
        for (int i = 0; i < 100; i++) {
            sizes.record(2);
        }
        double[] first = deltas.intervalQuantiles("sizes", sizes.takeSnapshot(), 1, 0.5, 0.99);
        assertThat(deltas.intervalMean("sizes", sizes.takeSnapshot())).isEqualTo(2.0);

        // When the next interval has only large ones
        for (int i = 0; i < 10; i++) {
            sizes.record(64);
        }
        double[] second = deltas.intervalQuantiles("sizes", sizes.takeSnapshot(), 1, 0.5, 0.99);

        // Then the quantiles and the mean describe the 10 large batches alone (within their bucket, 32 to 64)
        assertThat(first[0]).isBetween(1.0, 2.0);
        assertThat(second[0]).isBetween(32.0, 64.0);
        assertThat(second[1]).isCloseTo(64.0, within(1.0));
        assertThat(deltas.intervalMean("sizes", sizes.takeSnapshot())).isEqualTo(64.0);
        assertThat(deltas.intervalMean("sizes", sizes.takeSnapshot())).isNaN();
    }

    @Test
    void shouldSayNothingForAnIntervalWithoutRecords() {
        sizes.record(4);
        deltas.intervalQuantiles("sizes", sizes.takeSnapshot(), 1, 0.5);
        assertThat(deltas.intervalQuantiles("sizes", sizes.takeSnapshot(), 1, 0.5)[0]).isNaN();
    }
}
