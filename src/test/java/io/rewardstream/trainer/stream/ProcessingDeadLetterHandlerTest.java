package io.rewardstream.trainer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.runtime.ResourceClosedException;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class ProcessingDeadLetterHandlerTest {

    private final TrainerSerdes serdes = TrainerFixtures.serdes();

    private ProcessingDeadLetterHandler handler() {
        ProcessingDeadLetterHandler handler = new ProcessingDeadLetterHandler();
        handler.configure(Map.of(DeadLetterHandler.TARGET_CONFIG, new DeadLetterHandler.Target("dlq",
                serdes.deadLetters().serializer(), "app", () -> { })));
        return handler;
    }

    private static ErrorHandlerContext at(String node) {
        return new ErrorHandlerContext() {
            public String topic() {
                return "rlhf.preferences";
            }

            public int partition() {
                return 2;
            }

            public long offset() {
                return 41;
            }

            public Headers headers() {
                return new RecordHeaders();
            }

            public String processorNodeId() {
                return node;
            }

            public TaskId taskId() {
                return new TaskId(0, 2);
            }

            public long timestamp() {
                return 5;
            }

            public byte[] sourceRawKey() {
                return "k".getBytes();
            }

            public byte[] sourceRawValue() {
                return new byte[] {0, 0, 0, 0, 1, 9};
            }
        };
    }

    @Test
    void shouldSendARecordThatFailedToEncodeToTheDeadLettersAndResume() {
        ProcessingExceptionHandler.Response response = handler().handleError(at("encode-responses"),
                new Record<>("k", "v", 5), new IllegalStateException("tokenizer broke"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        var record = response.deadLetterQueueRecords().get(0);
        DeadLetter letter = serdes.deadLetters().deserializer().deserialize("dlq", record.value());
        assertThat(record.topic()).isEqualTo("dlq");
        assertThat(letter.getStage()).isEqualTo("encode-responses");
        assertThat(letter.getErrorMessage()).isEqualTo("tokenizer broke");
        assertThat(letter.getOffset()).isEqualTo(41L);
        assertThat(letter.getValue().array()).containsExactly(0, 0, 0, 0, 1, 9);
    }

    @Test
    void shouldStopOnAFailureInTheTrainingStore() {
        ProcessingExceptionHandler.Response response = handler().handleError(at("training-store"),
                new Record<>("k", "v", 5), new IllegalStateException("store broke"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldStopWithoutADeadLetterWhenTheEncoderIsClosingUnderARecord() {
        // Given an encode step that met its encoder closing (the process stopping), wrapped as Streams wraps it
        RuntimeException closing = new IllegalStateException("encoding failed",
                new ResourceClosedException("encoder all-minilm-l6-v2 is closed"));

        // When
        ProcessingExceptionHandler.Response response = handler().handleError(at("encode-responses"),
                new Record<>("k", "v", 5), closing);

        // Then the task stops uncommitted: the record is not the problem and is processed after the restart
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }
}
