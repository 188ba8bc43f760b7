package io.rewardstream.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Counts a role's records at its serdes: a value decoded from one of {@code topics} is a record in
 * ({@code rewardstream_records_in_total{role,topic}}), a value encoded for one of them a record out
 * ({@code rewardstream_records_out_total}). Kafka Streams calls a serde once per record read or written, so the serde
 * sees every record of the role's topics without a line in its processors; stores and internal topics, which use the
 * same serdes, are left out by the topic set. A task retried under exactly-once counts its records again.
 */
public final class RecordMeters {

    public static final String IN = "rewardstream.records.in";
    public static final String OUT = "rewardstream.records.out";

    private RecordMeters() {
    }

    /** {@code serde}, counting the records it decodes and encodes for {@code topics}. */
    public static <T> Serde<T> counted(Serde<T> serde, MeterRegistry registry, String role, Set<String> topics) {
        Serializer<T> serializer = serde.serializer();
        Deserializer<T> deserializer = serde.deserializer();
        Map<String, Counter> in = counters(registry, IN, "Records read by the role, per topic", role, topics);
        Map<String, Counter> out = counters(registry, OUT, "Records written by the role, per topic", role, topics);
        return Serdes.serdeFrom(new Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                serializer.configure(configs, isKey);
            }

            @Override
            public byte[] serialize(String topic, T data) {
                return count(out, topic, serializer.serialize(topic, data));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, T data) {
                return count(out, topic, serializer.serialize(topic, headers, data));
            }

            @Override
            public void close() {
                serializer.close();
            }
        }, new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                deserializer.configure(configs, isKey);
            }

            @Override
            public T deserialize(String topic, byte[] data) {
                return count(in, topic, deserializer.deserialize(topic, data));
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return count(in, topic, deserializer.deserialize(topic, headers, data));
            }

            @Override
            public void close() {
                deserializer.close();
            }
        });
    }

    private static Map<String, Counter> counters(MeterRegistry registry, String name, String description,
                                                 String role, Set<String> topics) {
        Map<String, Counter> counters = new java.util.HashMap<>();
        topics.forEach(topic -> counters.put(topic, Counter.builder(name).description(description)
                .tag("role", role).tag("topic", topic).register(registry)));
        return Map.copyOf(counters);
    }

    private static <V> V count(Map<String, Counter> counters, String topic, V value) {
        Counter counter = topic == null ? null : counters.get(topic);
        if (counter != null && value != null) {
            counter.increment();
        }
        return value;
    }
}
