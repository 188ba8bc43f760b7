package io.rewardstream.scorer.http;

import io.rewardstream.scorer.serving.ScoringModel;
import java.util.Map;
import java.util.Optional;

/** What the HTTP face of a scorer instance shows about it. */
public interface ServingState {

    /** Empty when the instance can score; otherwise why not (e.g. no model yet). */
    Optional<String> notReadyReason();

    /**
     * Empty while the instance is alive; otherwise why not (a Kafka Streams client of the process died): liveness
     * then fails, so that the orchestrator restarts the process.
     */
    default Optional<String> deadReason() {
        return Optional.empty();
    }

    /** The model in service, if any. */
    Optional<ScoringModel> model();

    /** A few facts for the status page and /v1/models (e.g. Kafka Streams state, items scored). */
    Map<String, Object> facts();

    /** Further titled tables for the status page (e.g. the demo's progress); none by default. */
    default Map<String, Map<String, Object>> sections() {
        return Map.of();
    }
}
