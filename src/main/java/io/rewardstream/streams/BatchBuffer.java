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
 * traffic (the scorer's profile showed it). A batch claims its records when its scoring starts and removes them once
 * its results are forwarded, so that records claimed by a batch still being scored are in the store at a commit in
 * between. Used by the scorer's micro-batcher and by the trainer's encoding step; not thread-safe (one per stream
 * task).
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
    /** How many of the oldest waiting records are claimed by batches being scored. */
    private int claimed;

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

    /** Waiting records not yet claimed for a batch. */
    public int unclaimed() {
        return waiting.size() - claimed;
    }

    /** Whether the oldest record not yet claimed arrived at least {@code lingerMs} before {@code now}. */
    public boolean oldestWaited(long now, long lingerMs) {
        Waiting<V> oldest = oldestUnclaimed();
        return oldest != null && now - oldest.arrivedAt() >= lingerMs;
    }

    /**
     * Claims up to {@code limit} of the oldest records not yet claimed, in arrival order, for a batch: they stay in
     * the buffer (and the store) until {@link #remove}d, but later claims pass over them.
     */
    public List<Entry<V>> claim(int limit) {
        List<Entry<V>> entries = new ArrayList<>(Math.min(limit, unclaimed()));
        int skipped = 0;
        for (Waiting<V> w : waiting) {
            if (entries.size() == limit) {
                break;
            }
            if (skipped++ >= claimed) {
                entries.add(w.entry());
            }
        }
        claimed += entries.size();
        return entries;
    }

    /** Gives every claimed record back, to be claimed again (its batch was not scored). */
    public void unclaimAll() {
        claimed = 0;
    }

    private Waiting<V> oldestUnclaimed() {
        int skipped = 0;
        for (Waiting<V> w : waiting) {
            if (skipped++ == claimed) {
                return w;
            }
        }
        return null;
    }

    /**
     * Removes a record returned by {@link #claim}, deleting it from the store; remove them oldest first.
     *
     * @throws IllegalStateException when {@code entry} is not the oldest waiting record, or was not claimed
     */
    public void remove(Entry<V> entry) {
        Waiting<V> oldest = waiting.peekFirst();
        if (claimed == 0 || oldest == null || !oldest.entry().storeKey().equals(entry.storeKey())) {
            throw new IllegalStateException("records leave the batch buffer oldest first, once claimed");
        }
        store.delete(entry.storeKey());
        waiting.pollFirst();
        claimed--;
    }
}
