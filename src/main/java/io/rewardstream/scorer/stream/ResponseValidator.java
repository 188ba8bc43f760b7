package io.rewardstream.scorer.stream;

import io.rewardstream.avro.RolloutResponse;
import java.util.Optional;

/** Decides whether a response can be scored; overlong texts are fine (the model truncates and flags them). */
final class ResponseValidator {

    static final String ERROR_CODE = "INVALID_RESPONSE";

    private ResponseValidator() {
    }

    /** Empty when valid, otherwise the reason. */
    static Optional<String> problem(RolloutResponse response) {
        if (response == null) {
            return Optional.of("value is null (a tombstone): nothing to score");
        }
        if (response.getPrompt() == null || response.getPrompt().isBlank()) {
            return Optional.of("prompt is empty");
        }
        if (response.getResponse() == null || response.getResponse().isBlank()) {
            return Optional.of("response is empty");
        }
        return Optional.empty();
    }
}
