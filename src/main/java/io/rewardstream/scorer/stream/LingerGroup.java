package io.rewardstream.scorer.stream;

import io.rewardstream.streams.BatchBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The batch buffers of the scoring tasks one stream thread runs, so that their lingering batches fall due together.
 *
 * <p>Each task (one per input partition) keeps its own buffer and its own wall-clock punctuator, and each batch that
 * lingered asks for a commit. With the buffers independent, a scorer owning two partitions scored their lingering
 * batches in separate punctuation rounds, each followed by its own transaction commit, and a response of one
 * partition waited behind the other's batch and commit. In a group, when any buffer's oldest unclaimed record has
 * waited the linger, a round opens with every buffer that holds unclaimed records then; each member starts scoring
 * what it holds at its next punctuation (in the same pass over the thread's tasks when their schedules line up, so
 * that their batches run back to back) and leaves the round. A record is never held longer than the linger, and
 * sometimes less.
 *
 * <p>One group per thread: Kafka Streams runs a task's punctuators on the thread that owns the task. A processor
 * keeps the group it joined and leaves that one, whichever thread closes it. Thread-safe.
 */
final class LingerGroup {

    private static final ThreadLocal<LingerGroup> OF_THREAD = ThreadLocal.withInitial(LingerGroup::new);

    private final List<BatchBuffer<?>> buffers = new ArrayList<>();
    private final Set<BatchBuffer<?>> round = new HashSet<>();
    /** Batches of this thread's tasks that lingered, started and not yet forwarded or given up. */
    private int lingeringInFlight;

    /** The group of the calling thread. */
    static LingerGroup ofCurrentThread() {
        return OF_THREAD.get();
    }

    synchronized void join(BatchBuffer<?> buffer) {
        buffers.add(buffer);
    }

    synchronized void leave(BatchBuffer<?> buffer) {
        buffers.remove(buffer);
        round.remove(buffer);
    }

    /**
     * Whether {@code buffer} should score what it holds at {@code now}: its own oldest record has waited
     * {@code lingerMs}, or it is a member of the open round (which this call opens when any buffer's oldest record
     * has waited that long). A member leaves the round by this call.
     */
    synchronized boolean due(BatchBuffer<?> buffer, long now, long lingerMs) {
        if (round.isEmpty() && buffers.stream().anyMatch(b -> b.oldestWaited(now, lingerMs))) {
            buffers.stream().filter(b -> b.unclaimed() > 0).forEach(round::add);
        }
        return round.remove(buffer) || buffer.oldestWaited(now, lingerMs);
    }

    /** A task started scoring a batch that lingered. */
    synchronized void lingeringStarted() {
        lingeringInFlight++;
    }

    /**
     * A batch that lingered was forwarded or given up; true when it was the thread's last one in flight, so that one
     * commit makes the whole round's rewards visible.
     */
    synchronized boolean lingeringEnded() {
        lingeringInFlight = Math.max(0, lingeringInFlight - 1);
        return lingeringInFlight == 0;
    }
}
