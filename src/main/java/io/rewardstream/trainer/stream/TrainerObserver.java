package io.rewardstream.trainer.stream;

/**
 * Told by the training store what it does, on the stream thread, for meters and the status page: every release and
 * metric record it publishes, every training that ends, and how many training pairs it holds. Implementations must
 * be quick and must not throw.
 */
public interface TrainerObserver {

    /** Observes nothing. */
    TrainerObserver NONE = new TrainerObserver() {
    };

    /** How a training ended. */
    enum Outcome { PROMOTED, REJECTED, FAILED }

    /** A release or a metric record (accuracy report, drift alert, rejection) on its way out. */
    default void published(TrainerOutput output) {
    }

    /** The release in service: restored when the store starts, or just promoted. */
    default void liveRelease(io.rewardstream.avro.ModelRelease release) {
    }

    /**
     * A training ended.
     *
     * @param fineTune true for a fine-tune of the encoder, false for a head-only retrain
     * @param seconds  how long it trained, or NaN when it failed before saying
     */
    default void trainingFinished(boolean fineTune, double seconds, Outcome outcome) {
    }

    /** The training pairs the store holds now (held-out pairs not counted). */
    default void storedPairs(long pairs) {
    }
}
