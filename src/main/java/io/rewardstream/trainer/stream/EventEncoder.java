package io.rewardstream.trainer.stream;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.PromptResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Encodes the texts of several events in one extractor call, so the encoder sees full batches. */
public final class EventEncoder {

    private EventEncoder() {
    }

    /** One {@link EncodedEvent} per event, in order; each distinct text of the whole list is encoded once. */
    public static List<EncodedEvent> encode(FeatureExtractor extractor, List<PreferenceEvent> events) {
        List<PromptResponse> items = new ArrayList<>();
        for (PreferenceEvent event : events) {
            for (String response : event.getResponses()) {
                items.add(new PromptResponse(event.getPrompt(), response));
            }
        }
        float[][] rows = extractor.extract(items).rows();
        List<EncodedEvent> encoded = new ArrayList<>(events.size());
        int from = 0;
        for (PreferenceEvent event : events) {
            int to = from + event.getResponses().size();
            encoded.add(new EncodedEvent(event, Arrays.copyOfRange(rows, from, to)));
            from = to;
        }
        return encoded;
    }
}
