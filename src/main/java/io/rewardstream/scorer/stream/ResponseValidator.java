package io.rewardstream.scorer.stream;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.model.TextRules;
import java.util.Optional;

/**
 * Decides whether a response can be scored. Texts longer than the model reads are fine (the model truncates and flags
 * them) up to the text limit; beyond it, and texts that are not valid text, are refused ({@link TextRules}).
 */
final class ResponseValidator {

    static final String ERROR_CODE = "INVALID_RESPONSE";

    private ResponseValidator() {
    }

    /** Empty when valid, otherwise the reason. */
    static Optional<String> problem(RolloutResponse response, TextRules texts) {
        if (response == null) {
            return Optional.of("value is null (a tombstone): nothing to score");
        }
        Optional<String> prompt = texts.problem("prompt", response.getPrompt());
        return prompt.isPresent() ? prompt : texts.problem("response", response.getResponse());
    }
}
