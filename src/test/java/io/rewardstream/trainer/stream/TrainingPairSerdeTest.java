package io.rewardstream.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.trainer.retrain.TrainingPair;
import org.junit.jupiter.api.Test;

class TrainingPairSerdeTest {

    @Test
    void shouldRoundTripAPairWithItsFeaturesAndFlags() {
        TrainingPair pair = new TrainingPair("ev-1#2", "abc", true, new float[] {1.5f, -2f, 0f},
                new float[] {0.25f, 3f, -1f}, 0.75f, 12, 7, true);
        TrainingPairSerde serde = new TrainingPairSerde();

        TrainingPair back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", pair));

        assertThat(back).usingRecursiveComparison().isEqualTo(pair);
    }

    @Test
    void shouldKeepAMissingStrengthMissing() {
        TrainingPair pair = new TrainingPair("e#0", "k", false, new float[] {1f}, new float[] {2f}, Float.NaN, 1, 1,
                false);
        TrainingPairSerde serde = new TrainingPairSerde();

        TrainingPair back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", pair));

        assertThat(back.strength()).isNaN();
        assertThat(back.chosenFirst()).isFalse();
        assertThat(back.heldOut()).isFalse();
    }
}
