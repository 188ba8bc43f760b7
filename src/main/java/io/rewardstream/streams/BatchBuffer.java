package io.rewardstream.streams;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Records waiting to be processed as a batch, kept in a changelogged store keyed by {@link WaitingKey} so the
 * store's order is arrival order and a batch that was filling when the instance stopped is restored with the
 * store. Tracks in memory when each waiting record arrived (wall clock), for linger decisions. Used by the
 * scorer's micro-batcher and by the trainer's encoding step; not thread-safe (one per stream task).
 *
 * @param <V> the record value
 */
public final class BatchBuffer<V> {

    /** A waiting record: its place in the store, its own key, value and timestamp. */
    public record Entry<V>(Bytes storeKey, String key, V value, long timestamp) {
    }

    private final TimestampedKeyValueStore<Bytes, V> store;
    private final Deque<Long> arrivals = new ArrayDeque<>();
    private long nextSequence;

    /**
     * Takes over what {@code store} already holds (after a restart), as if it had arrived at {@code restoredAt}.
     */
    public BatchBuffer(TimestampedKeyValueStore<Bytes, V> store, long restoredAt) {
        this.store = store;
        try (KeyValueIterator<Bytes, ValueAndTimestamp<V>> all = store.all()) {
            while (all.hasNext()) {
                nextSequence = Math.max(nextSequence, WaitingKey.sequence(all.next().key) + 1);
                arrivals.addLast(restoredAt);
            }
        }
    }

    public int size() {
        return arrivals.size();
    }

    public boolean isEmpty() {
        return arrivals.isEmpty();
    }

    /** Adds a record that arrived at {@code now} (wall clock). */
    public void add(String key, V value, long timestamp, long now) {
        store.put(WaitingKey.encode(nextSequence++, key), ValueAndTimestamp.make(value, timestamp));
        arrivals.addLast(now);
    }

    /** Whether the oldest waiting record arrived at least {@code lingerMs} before {@code now}. */
    public boolean oldestWaited(long now, long lingerMs) {
        return !arrivals.isEmpty() && now - arrivals.peekFirst() >= lingerMs;
    }

    /** Up to {@code limit} of the oldest waiting records, in arrival order; they stay until {@link #remove}d. */
    public List<Entry<V>> oldest(int limit) {
        List<Entry<V>> entries = new ArrayList<>(Math.min(limit, arrivals.size()));
        try (KeyValueIterator<Bytes, ValueAndTimestamp<V>> all = store.all()) {
            while (all.hasNext() && entries.size() < limit) {
                var next = all.next();
                entries.add(new Entry<>(next.key, WaitingKey.recordKey(next.key), next.value.value(),
                        next.value.timestamp()));
            }
        }
        return entries;
    }

    /** Removes a record returned by {@link #oldest}; remove them oldest first. */
    public void remove(Entry<V> entry) {
        store.delete(entry.storeKey());
        arrivals.pollFirst();
    }
}
