package io.rewardstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.Test;

/** Claims: a batch being processed keeps its records in the store, and later batches and linger checks pass over it. */
class BatchBufferTest {

    private final TimestampedKeyValueStore<Bytes, String> store = Stores.timestampedKeyValueStoreBuilder(
            Stores.inMemoryKeyValueStore("waiting"), Serdes.Bytes(), Serdes.String()).withLoggingDisabled().build();

    BatchBufferTest() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    /** A buffer holding {@code keys}, each arrived at 100 ms. */
    private BatchBuffer<String> holding(String... keys) {
        BatchBuffer<String> buffer = new BatchBuffer<>(store, 0);
        for (String key : keys) {
            buffer.add(key, "v", 0, 100);
        }
        return buffer;
    }

    private static List<String> keys(List<BatchBuffer.Entry<String>> entries) {
        return entries.stream().map(BatchBuffer.Entry::key).toList();
    }

    @Test
    void shouldClaimTheOldestUnclaimedRecordsAndKeepThemStoredUntilRemoved() {
        // Given
        BatchBuffer<String> buffer = new BatchBuffer<>(store, 0);
        for (int i = 0; i < 5; i++) {
            buffer.add("k" + i, "v" + i, i, 100 + i);
        }

        // When
        List<BatchBuffer.Entry<String>> first = buffer.claim(2);
        List<BatchBuffer.Entry<String>> second = buffer.claim(2);

        // Then
        assertThat(keys(first)).containsExactly("k0", "k1");
        assertThat(keys(second)).containsExactly("k2", "k3");
        assertThat(buffer.unclaimed()).isEqualTo(1);
        assertThat(buffer.size()).isEqualTo(5);
        assertThat(store.approximateNumEntries()).isEqualTo(5);

        // When the first batch is done
        first.forEach(buffer::remove);

        // Then
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.unclaimed()).isEqualTo(1);
        assertThat(store.approximateNumEntries()).isEqualTo(3);
    }

    @Test
    void shouldMeasureTheLingerFromTheOldestUnclaimedRecord() {
        // Given one record claimed at 100 and one waiting since 110
        BatchBuffer<String> buffer = new BatchBuffer<>(store, 0);
        buffer.add("old", "v", 0, 100);
        buffer.add("new", "v", 0, 110);
        buffer.claim(1);

        // Then the claimed one no longer counts
        assertThat(buffer.oldestWaited(125, 20)).isFalse();
        assertThat(buffer.oldestWaited(130, 20)).isTrue();
    }

    @Test
    void shouldClaimRecordsAgainAfterTheirBatchWasGivenUp() {
        // Given
        BatchBuffer<String> buffer = holding("a", "b");
        buffer.claim(2);

        // When
        buffer.unclaimAll();

        // Then
        assertThat(keys(buffer.claim(5))).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseToRemoveARecordNoBatchHoldsAClaimOn() {
        // Given a record whose batch was given up
        BatchBuffer<String> buffer = holding("a");
        BatchBuffer.Entry<String> a = buffer.claim(1).get(0);
        buffer.unclaimAll();

        // When / Then
        assertThatThrownBy(() -> buffer.remove(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("claimed");
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(store.approximateNumEntries()).isEqualTo(1);
    }
}
