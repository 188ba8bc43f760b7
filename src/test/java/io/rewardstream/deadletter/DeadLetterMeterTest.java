package io.rewardstream.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.status.Chart;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class DeadLetterMeterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldCountWrittenDeadLettersByStageForOneRoleSummingTheirReasons() {
        Serde<DeadLetter> trainer = counted("trainer");
        Serde<DeadLetter> scorer = counted("scorer");
        write(trainer, "io.rewardstream.trainer.stream.InvalidEvent", DeadLetters.VALIDATE);
        write(trainer, "java.lang.IllegalArgumentException", DeadLetters.VALIDATE);
        write(trainer, "org.apache.kafka.common.errors.SerializationException", DeadLetters.DESERIALIZE);
        write(scorer, "org.apache.kafka.common.errors.SerializationException", DeadLetters.DESERIALIZE);
        trainer.serializer().serialize("rlhf.dead-letters", null);

        Map<String, Double> byStage = DeadLetterMeter.countsByStage(registry, "trainer");

        assertThat(byStage).containsExactly(Map.entry(DeadLetters.DESERIALIZE, 1.0),
                Map.entry(DeadLetters.VALIDATE, 2.0));
        assertThat(DeadLetterMeter.countsByStage(registry, "scorer"))
                .containsExactly(Map.entry(DeadLetters.DESERIALIZE, 1.0));
        assertThat(DeadLetterMeter.countsByStage(registry, "monitor")).isEmpty();
    }

    @Test
    void shouldDrawOneLinePerStageReadingTheSeriesTheStatusSourcesSample() {
        Chart chart = Chart.deadLetters("trainer-dead-letters", "Dead letters (trainer)",
                List.of(DeadLetters.DESERIALIZE, DeadLetters.VALIDATE));

        assertThat(chart.lines()).containsExactly(new Chart.Line("dead_letters.deserialize", "deserialize"),
                new Chart.Line("dead_letters.validate", "validate"));
        assertThat(chart.events()).isFalse();
        assertThat(Chart.deadLetters("x", "none yet", List.of()).lines()).isEmpty();
    }

    private Serde<DeadLetter> counted(String role) {
        return DeadLetterMeter.counted(AvroSerde.specific(DeadLetter.class, SchemaRegistryClients.create(
                Map.of(RegistryClientConfig.URL, "mock://meter-" + UUID.randomUUID())), AvroSerdeConfig.defaults()),
                registry, role);
    }

    private static void write(Serde<DeadLetter> serde, String errorClass, String stage) {
        serde.serializer().serialize("rlhf.dead-letters", DeadLetters.of(new DeadLetters.Origin("rlhf.preferences", 0,
                5, null, new byte[] {1}, null, null), errorClass, "bad record", stage, "app", 0));
    }
}
