package io.rewardstream.deadletter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardstream.avro.DeadLetter;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Counts dead letters where every one of them passes, the serializer of the dead-letter topic:
 * {@code rewardstream_dead_letters_total{role, stage, reason}}, the reason being the error's class without its
 * package (a handful of values, unlike the messages). Undecodable records, invalid events and failed steps all meet
 * here, whichever path wrote them.
 */
public final class DeadLetterMeter {

    public static final String NAME = "rewardstream.dead.letters";

    private DeadLetterMeter() {
    }

    /** Dead letters counted so far for {@code role}, summed over reasons, by stage (in stage order). */
    public static Map<String, Double> countsByStage(MeterRegistry registry, String role) {
        Map<String, Double> byStage = new TreeMap<>();
        registry.find(NAME).tag("role", role).counters()
                .forEach(c -> byStage.merge(c.getId().getTag("stage"), c.count(), Double::sum));
        return byStage;
    }

    /** {@code serde} with a serializer that counts each dead letter it writes. */
    public static Serde<DeadLetter> counted(Serde<DeadLetter> serde, MeterRegistry registry, String role) {
        Serializer<DeadLetter> serializer = serde.serializer();
        Deserializer<DeadLetter> deserializer = serde.deserializer();
        return Serdes.serdeFrom(new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                serializer.configure(configs, isKey);
            }

            @Override
            public byte[] serialize(String topic, DeadLetter letter) {
                return count(letter, serializer.serialize(topic, letter));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, DeadLetter letter) {
                return count(letter, serializer.serialize(topic, headers, letter));
            }

            @Override
            public void close() {
                serializer.close();
            }

            private byte[] count(DeadLetter letter, byte[] bytes) {
                if (letter != null) {
                    Counter.builder(NAME).description("Records sent to the dead-letter topic, by stage and error")
                            .tag("role", role).tag("stage", letter.getStage()).tag("reason", reason(letter))
                            .register(registry).increment();
                }
                return bytes;
            }
        }, deserializer);
    }

    /** The simple name of the error class: {@code org.x.BadThing} gives {@code BadThing}. */
    static String reason(DeadLetter letter) {
        String errorClass = letter.getErrorClass();
        if (errorClass == null || errorClass.isBlank()) {
            return "unknown";
        }
        return errorClass.substring(errorClass.lastIndexOf('.') + 1).replace('$', '.');
    }
}
