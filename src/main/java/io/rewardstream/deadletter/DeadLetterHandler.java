package io.rewardstream.deadletter;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.registry.RegistryUnavailableException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record whose key or value cannot be decoded to the dead-letter topic, with its raw bytes, where it was
 * read and the error, then lets processing go on. Kafka Streams writes the returned record with the task's
 * producer, so under exactly-once it commits with the input offset.
 *
 * <p>A record that fails only because the schema registry is out of reach is not dead-lettered: the handler fails,
 * so that the task stops uncommitted and the record is read again once the registry answers.
 *
 * <p>Kafka Streams instantiates the handler by class name; its {@link Target} (topic, serializer, application)
 * is injected as an object under {@link #TARGET_CONFIG} in the Streams properties, not through static state.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    public static final String TARGET_CONFIG = "rewardstream.dead.letter.target";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    /** Where dead letters go and how they are written; {@code counter} is told of each one (metrics). */
    public record Target(String topic, Serializer<DeadLetter> serializer, String applicationId, Runnable counter) {
    }

    /** The target read from Streams properties, as put there under {@link #TARGET_CONFIG}. */
    public static Target targetOf(Map<String, ?> configs) {
        Object value = configs.get(TARGET_CONFIG);
        if (!(value instanceof Target t)) {
            throw new IllegalArgumentException(TARGET_CONFIG + " must hold a " + Target.class.getName());
        }
        return t;
    }

    private Target target;

    @Override
    public void configure(Map<String, ?> configs) {
        this.target = targetOf(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (RegistryUnavailableException.isIn(exception)) {
            // Not the record's fault: the writer's schema could not be fetched. Failing the task (its transaction
            // aborted) lets the stream thread be replaced and read the record again once the registry answers.
            LOG.warn("Record at {}-{}@{} not decoded because the schema registry is out of reach; not a dead letter:"
                    + " {}", record.topic(), record.partition(), record.offset(), exception.toString());
            return Response.fail();
        }
        LOG.warn("Undecodable record at {}-{}@{} sent to {}: {}", record.topic(), record.partition(),
                record.offset(), target.topic(), exception.toString());
        DeadLetters.Origin origin = new DeadLetters.Origin(record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), record.headers(), record.timestamp());
        DeadLetter letter = DeadLetters.of(origin, exception.getClass().getName(), exception.getMessage(),
                DeadLetters.DESERIALIZE, target.applicationId(), System.currentTimeMillis());
        byte[] bytes = target.serializer().serialize(target.topic(), letter);
        target.counter().run();
        return Response.resume(List.of(new ProducerRecord<>(target.topic(), null, record.key(), bytes)));
    }
}
