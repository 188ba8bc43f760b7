package io.rewardstream.trainer;

import io.rewardstream.avro.DeadLetter;
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
 * Sends records whose bytes cannot be decoded to the dead-letter topic (raw key and value, topic, partition,
 * offset, the error) and goes on with the next record. Configured through the Streams properties:
 * {@link #TOPIC} names the topic, {@link #SERIALIZER} holds the DeadLetter serializer instance.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler {

    public static final String TOPIC = "rewardstream.dead-letter.topic";
    public static final String SERIALIZER = "rewardstream.dead-letter.serializer";
    public static final String APPLICATION_ID = "application.id";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String topic;
    private Serializer<DeadLetter> serializer;
    private String applicationId;

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        topic = (String) configs.get(TOPIC);
        serializer = (Serializer<DeadLetter>) configs.get(SERIALIZER);
        applicationId = (String) configs.get(APPLICATION_ID);
        if (topic == null || serializer == null) {
            throw new IllegalStateException(TOPIC + " and " + SERIALIZER + " must be set for " + getClass().getName());
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        LOG.warn("Undecodable record at {}-{}@{}: {}", context.topic(), context.partition(), context.offset(),
                exception.toString());
        DeadLetters.Origin origin = new DeadLetters.Origin(context.topic(), context.partition(), context.offset(),
                record.key(), record.value(), record.headers(), record.timestamp());
        DeadLetter letter = DeadLetters.of(origin, exception.getClass().getName(), exception.getMessage(),
                DeadLetters.DESERIALIZE, applicationId, System.currentTimeMillis());
        byte[] value = serializer.serialize(topic, letter);
        return Response.resume(List.of(new ProducerRecord<>(topic, null, record.key(), value)));
    }
}
