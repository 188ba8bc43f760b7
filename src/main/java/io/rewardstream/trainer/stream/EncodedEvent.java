package io.rewardstream.trainer.stream;

import io.rewardstream.avro.PreferenceEvent;

/**
 * An event with the head features of each (prompt, response), each text encoded once.
 *
 * @param features one row per response, in the event's order
 */
public record EncodedEvent(PreferenceEvent event, float[][] features) {
}
