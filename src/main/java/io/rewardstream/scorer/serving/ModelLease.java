package io.rewardstream.scorer.serving;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use of one model version for one batch. The model stays open while any lease on it is open; closing the
 * last lease of a model that has been swapped out closes the model.
 */
public final class ModelLease implements AutoCloseable {

    private final Slot slot;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ModelLease(Slot slot) {
        this.slot = slot;
    }

    public ScoringModel model() {
        return slot.model;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            slot.release();
        }
    }

    /** A model with a reference count: one reference for the holder while it is current, one per open lease. */
    static final class Slot {

        private static final Logger LOG = LoggerFactory.getLogger(Slot.class);

        private final ScoringModel model;
        private final AtomicInteger references = new AtomicInteger(1);

        Slot(ScoringModel model) {
            this.model = model;
        }

        ScoringModel model() {
            return model;
        }

        /** A lease, or null once the slot has been fully released (the caller then reads the holder again). */
        ModelLease tryLease() {
            while (true) {
                int count = references.get();
                if (count == 0) {
                    return null;
                }
                if (references.compareAndSet(count, count + 1)) {
                    return new ModelLease(this);
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0) {
                LOG.info("Closing model {} version {}: no calls in flight", model.name(), model.version());
                try {
                    model.close();
                } catch (RuntimeException e) {
                    LOG.warn("Closing model {} version {} failed", model.name(), model.version(), e);
                }
            }
        }
    }
}
