package io.rewardstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRatesTest {

    @ParameterizedTest
    @CsvSource({"1000,64,1", "1000,64,2", "1000,64,3", "64,64,2", "10,64,2", "0,64,2"})
    void shouldGiveEveryBatchToExactlyOneCallerInTurn(int items, int batchSize, int callers) {
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            List<Integer> starts = ModelRates.batchStarts(items, batchSize, c, callers);
            for (int i = 1; i < starts.size(); i++) {
                assertThat(starts.get(i) - starts.get(i - 1)).isEqualTo(callers * batchSize);
            }
            all.addAll(starts);
        }

        List<Integer> expected = IntStream.iterate(0, from -> from < items, from -> from + batchSize).boxed().toList();
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
    }
}
