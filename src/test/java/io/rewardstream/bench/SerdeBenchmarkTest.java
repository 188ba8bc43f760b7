package io.rewardstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.avro.ScoredResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerdeBenchmarkTest {

    @Test
    void shouldMeasureBothPathsOnTheSameRecords() {
        // When
        SerdeBenchmark.Result result = new SerdeBenchmark().run(new SerdeBenchmark.Options(200, 1, 2, 3));

        // Then
        assertThat(result.records()).isEqualTo(200);
        assertThat(result.serdePerSecond()).isPositive();
        assertThat(result.plainPerSecond()).isPositive();
        assertThat(result.ratio()).isEqualTo(result.serdePerSecond() / result.plainPerSecond());
        assertThat(result.meanRecordBytes()).isGreaterThan(500);
    }

    @Test
    void shouldGenerateRecordsWithRealisticTextLengthsDeterministically() {
        // When
        List<ScoredResponse> first = ScoredResponseSamples.generate(500, 42);
        List<ScoredResponse> again = ScoredResponseSamples.generate(500, 42);

        // Then
        assertThat(first).isEqualTo(again);
        assertThat(first).allSatisfy(r -> {
            assertThat(r.getPrompt().length()).isBetween(300, 1_500);
            assertThat(r.getResponse().length()).isBetween(200, 2_500);
        });
    }
}
