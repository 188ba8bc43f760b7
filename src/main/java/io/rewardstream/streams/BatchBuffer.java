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
 * store. Keeps the waiting records in memory too, in arrival order with the wall-clock time each arrived (for linger
 * decisions): the store is written for the changelog and read only when the task starts, because iterating it from
 * its start for every batch walks over the tombstones of every record already removed, a cost that grows with the
 * traffic (the scorer's profile showed it). Used by the scorer's micro-batcher and by the trainer's encoding step;
 * not thread-safe (one per stream task).
 *
 * @param <V> the record value
 */
public final class BatchBuffer<V> {

    /** A waiting record: its place in the store, its own key, value and timestamp. */
    public record Entry<V>(Bytes storeKey, String key, V value, long timestamp) {
    }

    private record Waiting<V>(Entry<V> entry, long arrivedAt) {
    }

    private final TimestampedKeyValueStore<Bytes, V> store;
    private final Deque<Waiting<V>> waiting = new ArrayDeque<>();
    private long nextSequence;

    /**
     * Takes over what {@code store} already holds (after a restart), as if it had arrived at {@code restoredAt}.
     */
    public BatchBuffer(TimestampedKeyValueStore<Bytes, V> store, long restoredAt) {
        this.store = store;
        try (KeyValueIterator<Bytes, ValueAndTimestamp<V>> all = store.all()) {
            while (all.hasNext()) {
                var next = all.next();
                nextSequence = Math.max(nextSequence, WaitingKey.sequence(next.key) + 1);
                waiting.addLast(new Waiting<>(new Entry<>(next.key, WaitingKey.recordKey(next.key), next.value.value(),
                        next.value.timestamp()), restoredAt));
            }
        }
    }

    public int size() {
        return waiting.size();
    }

    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Adds a record that arrived at {@code now} (wall clock). */
    public void add(String key, V value, long timestamp, long now) {
        Bytes storeKey = WaitingKey.encode(nextSequence++, key);
        store.put(storeKey, ValueAndTimestamp.make(value, timestamp));
        waiting.addLast(new Waiting<>(new Entry<>(storeKey, key, value, timestamp), now));
    }

    /** Whether the oldest waiting record arrived at least {@code lingerMs} before {@code now}. */
    public boolean oldestWaited(long now, long lingerMs) {
        return !waiting.isEmpty() && now - waiting.peekFirst().arrivedAt() >= lingerMs;
    }

    /** Up to {@code limit} of the oldest waiting records, in arrival order; they stay until {@link #remove}d. */
    public List<Entry<V>> oldest(int limit) {
        List<Entry<V>> entries = new ArrayList<>(Math.min(limit, waiting.size()));
        for (Waiting<V> w : waiting) {
            if (entries.size() == limit) {
                break;
            }
            entries.add(w.entry());
        }
        return entries;
    }

    /**
     * Removes a record returned by {@link #oldest}; remove them oldest first.
     *
     * @throws IllegalStateException when {@code entry} is not the oldest waiting record
     */
    public void remove(Entry<V> entry) {
        Waiting<V> oldest = waiting.peekFirst();
        if (oldest == null || !oldest.entry().storeKey().equals(entry.storeKey())) {
            throw new IllegalStateException("records leave the batch buffer oldest first");
        }
        store.delete(entry.storeKey());
        waiting.pollFirst();
    }
}
