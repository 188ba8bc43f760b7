package io.rewardstream.scoring;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the scoring topology, injected so each test can bring its own registry scope. */
public record ScoringSerdes(Serde<RolloutResponse> responses, Serde<ScoredResponse> rewards,
                           Serde<DeadLetter> deadLetters) {
}
