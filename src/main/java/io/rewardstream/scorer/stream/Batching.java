package io.rewardstream.scorer.stream;

import io.rewardstream.model.TextRules;
import java.time.Duration;

/**
 * How responses are gathered into micro-batches.
 *
 * @param size          responses per batch (scoring.batch-size)
 * @param linger        longest a response waits for its batch to fill, in wall-clock time (scoring.linger)
 * @param inFlight      batches of a task scored off its stream thread at once; 0 scores on the stream thread
 *                      (scoring.batches-in-flight)
 * @param applicationId the scorer's application id, named in its dead letters
 * @param texts         what a prompt and a response must be to be scored (others become dead letters)
 */
public record Batching(int size, Duration linger, int inFlight, String applicationId, TextRules texts) {
}
