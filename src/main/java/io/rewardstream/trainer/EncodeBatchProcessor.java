package io.rewardstream.trainer;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.kafka.BatchBuffer;
import io.rewardstream.model.FeatureExtractor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 */
public final class EncodeBatchProcessor implements Processor<String, PreferenceEvent, String, EncodedEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(EncodeBatchProcessor.class);

    private final FeatureExtractor extractor;
    private final int batch;
    private final long lingerMs;
    private ProcessorContext<String, EncodedEvent> context;
    private BatchBuffer<PreferenceEvent> waiting;

    public EncodeBatchProcessor(FeatureExtractor extractor, int batch, Duration linger) {
        this.extractor = extractor;
        this.batch = batch;
        this.lingerMs = linger.toMillis();
    }

    @Override
    public void init(ProcessorContext<String, EncodedEvent> context) {
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

    /**
     * The whole batch in one call; if that fails, each event alone, so that one bad event cannot hold the others
     * back. An event that fails alone is logged with its id and the error and left out (null in the result).
     */
    private List<EncodedEvent> encode(List<PreferenceEvent> events) {
        try {
            return EventEncoder.encode(extractor, events);
        } catch (RuntimeException batchFailure) {
            LOG.warn("Encoding a batch of {} events failed ({}); encoding them one by one", events.size(),
                    batchFailure.toString());
            List<EncodedEvent> encoded = new ArrayList<>(events.size());
            for (PreferenceEvent event : events) {
                try {
                    encoded.add(EventEncoder.encode(extractor, List.of(event)).get(0));
                } catch (RuntimeException e) {
                    LOG.error("Event {} cannot be encoded and is left out of training: {}", event.getEventId(),
                            e.toString());
                    encoded.add(null);
                }
            }
            return encoded;
        }
    }

    /** Encodes everything waiting, forwards it in arrival order and empties the buffer. */
    private void flush() {
        List<BatchBuffer.Entry<PreferenceEvent>> entries = waiting.oldest(Integer.MAX_VALUE);
        List<PreferenceEvent> events = new ArrayList<>(entries.size());
        entries.forEach(e -> events.add(e.value()));
        List<EncodedEvent> encoded = encode(events);
        for (int i = 0; i < entries.size(); i++) {
            var entry = entries.get(i);
            if (encoded.get(i) != null) {
                context.forward(new Record<>(entry.key(), encoded.get(i), entry.timestamp()));
            }
            waiting.remove(entry);
        }
    }
}
