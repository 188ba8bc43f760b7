package io.rewardstream.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.registry.RegistryUnavailableException;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.scorer.stream.ScoringSerdes;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadLetterHandlerTest {

    private final String scope = "dlh-" + UUID.randomUUID();
    private final ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://" + scope);

    @AfterEach
    void drop() {
        MockRegistryScopes.drop(scope);
    }

    @Test
    void shouldResumeWithADeadLetterCarryingRawBytesPositionAndError() {
        // Given
        AtomicInteger counted = new AtomicInteger();
        DeadLetterHandler handler = new DeadLetterHandler();
        handler.configure(Map.of(DeadLetterHandler.TARGET_CONFIG, new DeadLetterHandler.Target("dlq",
                serdes.deadLetters().serializer(), "scorer-test", counted::incrementAndGet)));
        byte[] key = {'k'};
        byte[] value = {0, 0, 0, 0, 42, 9};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("rlhf.responses", 2, 17L, key, value);
        var context = new DefaultErrorHandlerContext(null, "rlhf.responses", 2, 17L, new RecordHeaders(),
                "responses-source", new TaskId(0, 2), 0L, key, value);

        // When
        DeserializationExceptionHandler.Response response = handler.handleError(context, record,
                new SerializationException("unknown schema id 42"));

        // Then
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(out -> {
            ProducerRecord<byte[], byte[]> r = out;
            assertThat(r.topic()).isEqualTo("dlq");
            assertThat(r.key()).isEqualTo(key);
            DeadLetter letter = serdes.deadLetters().deserializer().deserialize("dlq", r.value());
            assertThat(letter.getStage()).isEqualTo("deserialize");
            assertThat(letter.getPartition()).isEqualTo(2);
            assertThat(letter.getOffset()).isEqualTo(17L);
            assertThat(letter.getValue()).isEqualTo(ByteBuffer.wrap(value));
            assertThat(letter.getErrorClass()).isEqualTo(SerializationException.class.getName());
            assertThat(letter.getErrorMessage()).contains("unknown schema id 42");
            assertThat(letter.getApplicationId()).isEqualTo("scorer-test");
        });
        assertThat(counted).hasValue(1);
    }

    @Test
    void shouldFailRatherThanDeadLetterARecordWhoseSchemaCouldNotBeFetched() {
        // Given a record that failed only because the registry was out of reach
        AtomicInteger counted = new AtomicInteger();
        DeadLetterHandler handler = new DeadLetterHandler();
        handler.configure(Map.of(DeadLetterHandler.TARGET_CONFIG, new DeadLetterHandler.Target("dlq",
                serdes.deadLetters().serializer(), "scorer-test", counted::incrementAndGet)));
        byte[] value = {0, 0, 0, 0, 42, 9};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("rlhf.responses", 0, 3L, null, value);
        var context = new DefaultErrorHandlerContext(null, "rlhf.responses", 0, 3L, new RecordHeaders(),
                "responses-source", new TaskId(0, 0), 0L, null, value);

        // When
        DeserializationExceptionHandler.Response response = handler.handleError(context, record,
                new SerializationException("schema 42", new RegistryUnavailableException("registry down", null)));

        // Then the task stops uncommitted, and the record is read again once the registry answers
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(counted).hasValue(0);
    }

    @Test
    void shouldRefuseToStartWithoutAnInjectedTarget() {
        // Given
        DeadLetterHandler handler = new DeadLetterHandler();

        // When / Then
        assertThatThrownBy(() -> handler.configure(Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DeadLetterHandler.TARGET_CONFIG);
    }
}
