package io.rewardstream.trainer.stream;

import java.util.Set;

/**
 * Names of the trainer topology's processor nodes, shared by the topology that names them and the
 * {@link ProcessingDeadLetterHandler} that decides by node whether a failure concerns one record only.
 */
public final class TrainerNodes {

    public static final String SOURCE = "preferences-source";
    public static final String VALIDATE = "validate-events";
    public static final String VALIDATION = "validation-";
    public static final String INVALID = "invalid";
    public static final String VALID = "valid";
    public static final String INVALID_TO_DEAD_LETTER = "invalid-to-dead-letter";
    public static final String DEAD_LETTERS_SINK = "dead-letters-sink";
    public static final String VALID_EVENTS = "valid-events";
    public static final String KEY_BY_EVENT_ID = "key-by-event-id";
    public static final String DEDUPE = "dedupe-events";
    public static final String ENCODE = "encode-responses";
    public static final String ENCODING = "encoding-";
    public static final String ENCODING_FAILED = "failed";
    public static final String ENCODING_OK = "ok";
    public static final String UNENCODABLE_TO_DEAD_LETTER = "unencodable-to-dead-letter";
    public static final String ENCODING_DEAD_LETTERS_SINK = "encoding-dead-letters-sink";
    public static final String EXPAND = "expand-rankings";
    public static final String TRAINING_STORE = "training-store";
    public static final String RELEASES_ONLY = "releases-only";
    public static final String AS_RELEASE = "as-release";
    public static final String RELEASES_SINK = "reward-models-sink";
    public static final String METRICS_ONLY = "metrics-only";
    public static final String AS_METRIC = "as-metric";
    public static final String METRICS_SINK = "reward-metrics-sink";
    public static final String ARTIFACTS_ONLY = "artifacts-only";
    public static final String AS_ARTIFACT = "as-artifact";
    public static final String ARTIFACTS_SINK = "reward-model-artifacts-sink";

    /**
     * Nodes whose failures concern one record only: such a record goes to the dead letters and processing goes on.
     * A failure anywhere else stops the client.
     */
    public static final Set<String> PER_RECORD = Set.of(VALIDATE, VALID_EVENTS, KEY_BY_EVENT_ID, DEDUPE, ENCODE,
            EXPAND);

    private TrainerNodes() {
    }
}
