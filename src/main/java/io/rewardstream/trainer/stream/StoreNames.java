package io.rewardstream.trainer.stream;

/** Names of the trainer's state stores and internal topics, shared by the topology and its processors. */
public final class StoreNames {

    /** Event ids seen within the training window (deduplication). */
    public static final String SEEN_EVENTS = "seen-events";
    /** Events waiting to be encoded in a batch, keyed by arrival sequence. */
    public static final String ENCODE_BUFFER = "encode-buffer";
    /** Encoded pairs within the training window. */
    public static final String TRAINING_PAIRS = "training-pairs";
    /** Directions in which each (prompt, response, response) was judged (conflict detection). */
    public static final String JUDGMENTS = "judgments";
    /** Last assigned model version and the live release. */
    public static final String TRAINER_STATE = "trainer-state";
    /** The single-partition internal topic in front of the stores (suffix -repartition is added). */
    public static final String TRAINING_EVENTS_TOPIC = "training-events";

    private StoreNames() {
    }
}
