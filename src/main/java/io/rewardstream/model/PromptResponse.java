package io.rewardstream.model;

/** A response to a prompt: the unit the reward model scores. */
public record PromptResponse(String prompt, String response) {
}
