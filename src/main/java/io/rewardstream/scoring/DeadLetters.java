package io.rewardstream.scoring;

import io.rewardstream.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Builds the scorer's {@link DeadLetter} records. */
final class DeadLetters {

    static final String STAGE_DESERIALIZE = "deserialize";
    static final String STAGE_VALIDATE = "validate";

    private DeadLetters() {
    }

    static DeadLetter of(String topic, int partition, long offset, byte[] key, byte[] value, Headers headers,
                         Long timestamp, String errorClass, String message, String stage, String applicationId) {
        Map<String, ByteBuffer> copied = new HashMap<>();
        if (headers != null) {
            for (Header h : headers) {
                copied.put(h.key(), h.value() == null ? ByteBuffer.allocate(0) : ByteBuffer.wrap(h.value()));
            }
        }
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setHeaders(copied)
                .setRecordTimestamp(timestamp == null || timestamp < 0 ? null : Instant.ofEpochMilli(timestamp))
                .setErrorClass(errorClass)
                .setErrorMessage(message)
                .setStage(stage)
                .setApplicationId(applicationId)
                .setFailedAt(Instant.now())
                .build();
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
