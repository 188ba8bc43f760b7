package io.rewardstream.scorer.stream;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.ScoredResponse;

/** What the micro-batcher made of one response: its reward, or the dead letter saying why it has none. */
public record Scored(ScoredResponse reward, DeadLetter deadLetter) {

    public boolean ok() {
        return reward != null;
    }
}
