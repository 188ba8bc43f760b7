package io.rewardstream.trainer;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.PromptResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Encodes the prompt and every response of an event once (the extractor encodes each distinct text once per
 * call) and keeps the features with the event, so pairs never need the encoder again.
 */
public final class EncodeEventsProcessor implements FixedKeyProcessor<String, PreferenceEvent, EncodedEvent> {

    private final FeatureExtractor extractor;
    private FixedKeyProcessorContext<String, EncodedEvent> context;

    public EncodeEventsProcessor(FeatureExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, EncodedEvent> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, PreferenceEvent> record) {
        PreferenceEvent event = record.value();
        List<PromptResponse> items = new ArrayList<>(event.getResponses().size());
        for (String response : event.getResponses()) {
            items.add(new PromptResponse(event.getPrompt(), response));
        }
        float[][] rows = extractor.extract(items).rows();
        context.forward(record.withValue(new EncodedEvent(event, rows)));
    }
}
