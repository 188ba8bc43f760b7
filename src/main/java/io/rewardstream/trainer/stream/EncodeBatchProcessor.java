package io.rewardstream.trainer.stream;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.runtime.ResourceClosedException;
import io.rewardstream.streams.BatchBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes events in batches: each valid, deduplicated event waits in the changelogged {@code encode-buffer} store
 * until {@code encodeBatch} events are there or the oldest has waited {@code encodeLinger} (wall clock), and the
 * texts of the whole batch are then encoded in one call, so the encoder runs on full batches instead of one
 * event's two or three texts. Events leave in arrival order with their own key and timestamp. Because the buffer
 * is a store, an event that was consumed but not yet encoded when the instance stops is encoded after the restart
 * (its input offset and its place in the buffer commit in the same transaction).
 *
 * <p>If a batch fails, its events are encoded one by one, so that one bad event cannot hold the others back; an
 * event that fails alone leaves as a dead letter (stage {@value #STAGE}) with the error and the event serialised
 * for its source topic, ready to be produced there again. Its partition and offset are -1: by then the event has
 * been through the trainer's internal repartition topic and its position in the source topic is not known.
 * An encoder that is closing (the process stopping) is no fault of the events: that failure is thrown on, so the
 * task stops with its events still in the buffer and its transaction uncommitted, and nothing is dead-lettered.
 */
public final class EncodeBatchProcessor implements Processor<String, PreferenceEvent, String, Encoded> {

    /** The stage named in dead letters of events that cannot be encoded: the node's name. */
    public static final String STAGE = TrainerNodes.ENCODE;

    private static final Logger LOG = LoggerFactory.getLogger(EncodeBatchProcessor.class);

    private final FeatureExtractor extractor;
    private final int batch;
    private final long lingerMs;
    private final String sourceTopic;
    private final Serializer<PreferenceEvent> serializer;
    private ProcessorContext<String, Encoded> context;
    private BatchBuffer<PreferenceEvent> waiting;

    /**
     * @param sourceTopic the topic events come from (named in dead letters)
     * @param serializer  writes a dead letter's value in that topic's wire format
     */
    public EncodeBatchProcessor(FeatureExtractor extractor, int batch, Duration linger, String sourceTopic,
                                Serializer<PreferenceEvent> serializer) {
        this.extractor = extractor;
        this.sourceTopic = sourceTopic;
        this.serializer = serializer;
        this.batch = batch;
        this.lingerMs = linger.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Encoded> context) {
        this.context = context;
        TimestampedKeyValueStore<Bytes, PreferenceEvent> store = context.getStateStore(StoreNames.ENCODE_BUFFER);
        // Restored events have waited long enough already: encode them at the first punctuation.
        this.waiting = new BatchBuffer<>(store, context.currentSystemTimeMs() - lingerMs);
        context.schedule(Duration.ofMillis(Math.max(1, lingerMs / 2)), PunctuationType.WALL_CLOCK_TIME, this::linger);
    }

    @Override
    public void process(Record<String, PreferenceEvent> record) {
        waiting.add(record.key(), record.value(), record.timestamp(), context.currentSystemTimeMs());
        if (waiting.size() >= batch) {
            flush();
        }
    }

    private void linger(long now) {
        if (waiting.oldestWaited(now, lingerMs)) {
            flush();
        }
    }

    /** The whole batch in one call; if that fails, each event alone (see the class comment). */
    private List<Encoded> encode(List<BatchBuffer.Entry<PreferenceEvent>> entries) {
        List<PreferenceEvent> events = new ArrayList<>(entries.size());
        entries.forEach(e -> events.add(e.value()));
        List<Encoded> out = new ArrayList<>(entries.size());
        try {
            EventEncoder.encode(extractor, events).forEach(e -> out.add(new Encoded(e, null)));
            return out;
        } catch (ResourceClosedException closing) {
            throw closing;
        } catch (RuntimeException batchFailure) {
            LOG.warn("Encoding a batch of {} events failed ({}); encoding them one by one", events.size(),
                    batchFailure.toString());
        }
        for (BatchBuffer.Entry<PreferenceEvent> entry : entries) {
            try {
                out.add(new Encoded(EventEncoder.encode(extractor, List.of(entry.value())).get(0), null));
            } catch (ResourceClosedException closing) {
                throw closing;
            } catch (RuntimeException e) {
                LOG.error("Event {} cannot be encoded; sending it to the dead letters: {}",
                        entry.value().getEventId(), DeadLetters.messages(e));
                out.add(new Encoded(null, deadLetter(entry, e)));
            }
        }
        return out;
    }

    private DeadLetter deadLetter(BatchBuffer.Entry<PreferenceEvent> entry, RuntimeException e) {
        DeadLetters.Origin origin = new DeadLetters.Origin(sourceTopic, -1, -1L, DeadLetters.utf8(entry.key()),
                serializer.serialize(sourceTopic, entry.value()), null, entry.timestamp());
        return DeadLetters.of(origin, e.getClass().getName(), DeadLetters.messages(e), STAGE, context.applicationId(),
                context.currentSystemTimeMs());
    }

    /** Encodes everything waiting, forwards it in arrival order and empties the buffer. */
    private void flush() {
        List<BatchBuffer.Entry<PreferenceEvent>> entries = waiting.claim(Integer.MAX_VALUE);
        List<Encoded> encoded = encode(entries);
        for (int i = 0; i < entries.size(); i++) {
            var entry = entries.get(i);
            context.forward(new Record<>(entry.key(), encoded.get(i), entry.timestamp()));
            waiting.remove(entry);
        }
    }
}
