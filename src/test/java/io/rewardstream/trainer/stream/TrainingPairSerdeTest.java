package io.rewardstream.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.trainer.retrain.PairTexts;
import io.rewardstream.trainer.retrain.TrainingPair;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainingPairSerdeTest {

    @Test
    void shouldRoundTripAPairWithItsFeaturesAndFlags() {
        TrainingPair pair = new TrainingPair("ev-1#2", "abc", true, new float[] {1.5f, -2f, 0f},
                new float[] {0.25f, 3f, -1f}, 0.75f, 12, 7, true, new PairTexts("Say hi", "hi there", "no"));
        TrainingPairSerde serde = new TrainingPairSerde();

        TrainingPair back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", pair));

        assertThat(back).usingRecursiveComparison().isEqualTo(pair);
    }

    @Test
    void shouldKeepAMissingStrengthMissing() {
        TrainingPair pair = new TrainingPair("e#0", "k", false, new float[] {1f}, new float[] {2f}, Float.NaN, 1, 1,
                false, null);
        TrainingPairSerde serde = new TrainingPairSerde();

        TrainingPair back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", pair));

        assertThat(back.strength()).isNaN();
        assertThat(back.chosenFirst()).isFalse();
        assertThat(back.heldOut()).isFalse();
        assertThat(back.texts()).isNull();
    }

    @Test
    void shouldStillReadAPairWrittenBeforeTextsWereKept() {
        // Given: the version 1 layout, as stores written by earlier releases hold it
        byte[] id = "e#1".getBytes(StandardCharsets.UTF_8);
        ByteBuffer v1 = ByteBuffer.allocate(1 + 4 + id.length + 4 + 1 + 1 + 4 + 4 + 4 + 4 + 8);
        v1.put((byte) 1).putInt(id.length).put(id).putInt(1).put((byte) 'k').put((byte) 3).putFloat(0.5f).putInt(4)
                .putInt(6).putInt(1).putFloat(1f).putFloat(-1f);

        // When
        TrainingPair back = new TrainingPairSerde().deserializer().deserialize("t", v1.array());

        // Then
        assertThat(back.pairId()).isEqualTo("e#1");
        assertThat(back.chosen()).containsExactly(1f);
        assertThat(back.rejected()).containsExactly(-1f);
        assertThat(back.heldOut()).isTrue();
        assertThat(back.texts()).isNull();
    }
}
