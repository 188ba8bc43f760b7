package io.rewardstream.deadletter;

import io.rewardstream.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Builds {@link DeadLetter} records for every role. Stages: deserialize, validate, or the failing node's name. */
public final class DeadLetters {

    public static final String DESERIALIZE = "deserialize";
    public static final String VALIDATE = "validate";
    /**
     * Most raw value bytes a dead letter carries: 256 KiB, well inside the producer's and the broker's default limit
     * of 1 MB, so that a dead letter is never refused for its size (under exactly-once that would stop the task).
     */
    public static final int MAX_RAW_BYTES = 256 * 1024;

    private DeadLetters() {
    }

    /** Where a failed record came from and what it held. */
    public record Origin(String topic, int partition, long offset, byte[] key, byte[] value, Headers headers,
                         Long timestamp) {
    }

    public static DeadLetter of(Origin origin, String errorClass, String message, String stage,
                                String applicationId, long now) {
        return DeadLetter.newBuilder()
                .setSourceTopic(origin.topic() == null ? "" : origin.topic())
                .setPartition(origin.partition())
                .setOffset(origin.offset())
                .setKey(origin.key() == null ? null : ByteBuffer.wrap(origin.key()))
                .setValue(origin.value() == null ? null
                        : ByteBuffer.wrap(origin.value(), 0, Math.min(origin.value().length, MAX_RAW_BYTES)).slice())
                .setValueSize(origin.value() != null && origin.value().length > MAX_RAW_BYTES
                        ? (long) origin.value().length : null)
                .setHeaders(headers(origin.headers()))
                .setRecordTimestamp(origin.timestamp() == null ? null : Instant.ofEpochMilli(origin.timestamp()))
                .setErrorClass(errorClass)
                .setErrorMessage(message)
                .setStage(stage)
                .setApplicationId(applicationId)
                .setFailedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** The messages of an error and its causes, outermost first, joined with ": " (the cause often says more). */
    public static String messages(Throwable error) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = error; t != null && depth < 5; t = t.getCause(), depth++) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            if (out.indexOf(message) < 0) {
                out.append(out.isEmpty() ? "" : ": ").append(message);
            }
        }
        return out.toString();
    }

    public static byte[] utf8(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, ByteBuffer> headers(Headers headers) {
        Map<String, ByteBuffer> copy = new HashMap<>();
        if (headers != null) {
            for (Header header : headers) {
                copy.put(header.key(), ByteBuffer.wrap(header.value() == null ? new byte[0] : header.value()));
            }
        }
        return copy;
    }
}
