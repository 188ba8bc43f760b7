package io.rewardstream.trainer.stream;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.PreferenceEvent;

/** A validated event, or the dead letter explaining why it was refused (exactly one is set). */
public record Checked(PreferenceEvent event, DeadLetter deadLetter) {

    public boolean valid() {
        return event != null;
    }
}
