package io.rewardstream.trainer.stream;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.deadletter.DeadLetters;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each event with {@link EventValidator}; an invalid one becomes a dead letter carrying the reason, its
 * source position and its value re-serialised in the wire format.
 */
public final class ValidateEventsProcessor implements FixedKeyProcessor<String, PreferenceEvent, Checked> {

    private static final Logger LOG = LoggerFactory.getLogger(ValidateEventsProcessor.class);

    private final Serializer<PreferenceEvent> serializer;
    private final EventLimits limits;
    private FixedKeyProcessorContext<String, Checked> context;

    public ValidateEventsProcessor(Serializer<PreferenceEvent> serializer, EventLimits limits) {
        this.serializer = serializer;
        this.limits = limits;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Checked> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, PreferenceEvent> record) {
        String problem = record.value() == null ? "null value" : EventValidator.problem(record.value(), limits);
        if (problem == null) {
            context.forward(record.withValue(new Checked(record.value(), null)));
            return;
        }
        LOG.debug("Invalid preference event (key {}): {}", record.key(), problem);
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
        int partition = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        byte[] value = record.value() == null ? null : serializer.serialize(topic, record.value());
        DeadLetters.Origin origin = new DeadLetters.Origin(topic, partition, offset, DeadLetters.utf8(record.key()),
                value, record.headers(), record.timestamp());
        context.forward(record.withValue(new Checked(null, DeadLetters.of(origin, "InvalidPreferenceEvent", problem,
                DeadLetters.VALIDATE, context.applicationId(), context.currentSystemTimeMs()))));
    }
}
