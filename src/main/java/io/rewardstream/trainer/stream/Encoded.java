package io.rewardstream.trainer.stream;

import io.rewardstream.avro.DeadLetter;

/** What the encoding step made of one event: its features, or the dead letter saying why it has none. */
public record Encoded(EncodedEvent event, DeadLetter deadLetter) {

    public boolean ok() {
        return event != null;
    }
}
