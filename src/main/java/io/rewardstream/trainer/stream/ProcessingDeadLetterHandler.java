package io.rewardstream.trainer.stream;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.runtime.ResourceClosedException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure on one record in a per-record step (validation, dedupe, encoding, expansion) sends that record's
 * source bytes to the dead-letter topic with the error and goes on. A failure anywhere else (the training
 * store, the sinks) is unexpected and stops the client, so that the orchestrator restarts it. Configured with
 * the same {@link DeadLetterHandler#TARGET_CONFIG} property. A resource closing under a record (an encoder at
 * shutdown) is not the record's fault: it stops the task, uncommitted, instead of dead-lettering the record.
 */
public final class ProcessingDeadLetterHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessingDeadLetterHandler.class);

    private DeadLetterHandler.Target target;

    @Override
    public void configure(Map<String, ?> configs) {
        target = DeadLetterHandler.targetOf(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (ResourceClosedException.within(exception)) {
            LOG.info("{} met a closing resource at {}-{}@{} ({}); the task stops without committing it",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                    exception.getMessage());
            return Response.fail();
        }
        if (!TrainerNodes.PER_RECORD.contains(context.processorNodeId())) {
            LOG.error("Failure in {} at {}-{}@{}; stopping", context.processorNodeId(), context.topic(),
                    context.partition(), context.offset(), exception);
            return Response.fail();
        }
        LOG.warn("Record at {}-{}@{} failed in {}: {}", context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception.toString());
        DeadLetters.Origin origin = new DeadLetters.Origin(context.topic(), context.partition(), context.offset(),
                context.sourceRawKey(), context.sourceRawValue(), context.headers(), context.timestamp());
        DeadLetter letter = DeadLetters.of(origin, exception.getClass().getName(), exception.getMessage(),
                context.processorNodeId(), target.applicationId(), System.currentTimeMillis());
        target.counter().run();
        return Response.resume(List.of(new ProducerRecord<>(target.topic(), null, context.sourceRawKey(),
                target.serializer().serialize(target.topic(), letter))));
    }
}
