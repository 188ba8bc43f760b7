package io.rewardstream.trainer.stream;

import io.rewardstream.avro.PreferenceEvent;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Drops an event whose id was already seen within the training window (retention of the seen-events store). */
public final class DedupeEventsProcessor implements FixedKeyProcessor<String, PreferenceEvent, PreferenceEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DedupeEventsProcessor.class);

    private final long windowMs;
    private WindowStore<String, Long> seen;
    private FixedKeyProcessorContext<String, PreferenceEvent> context;

    public DedupeEventsProcessor(Duration window) {
        this.windowMs = window.toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PreferenceEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(StoreNames.SEEN_EVENTS);
    }

    @Override
    public void process(FixedKeyRecord<String, PreferenceEvent> record) {
        String id = record.value().getEventId();
        long ts = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, ts - windowMs, ts + windowMs)) {
            if (earlier.hasNext()) {
                LOG.debug("Dropping duplicate event {}", id);
                return;
            }
        }
        seen.put(id, ts, ts);
        context.forward(record);
    }
}
