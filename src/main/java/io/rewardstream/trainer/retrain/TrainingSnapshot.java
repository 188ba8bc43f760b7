package io.rewardstream.trainer.retrain;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;

/** A copy of the training store's pairs from {@code from} on, split into trained-on and held-out pairs. */
public record TrainingSnapshot(List<TrainingPair> train, List<TrainingPair> heldOut, long windowStart,
                               long windowEnd, double conflictRate) {

    public static TrainingSnapshot read(WindowStore<String, TrainingPair> store, long from, double conflictRate) {
        List<TrainingPair> train = new ArrayList<>();
        List<TrainingPair> heldOut = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (KeyValueIterator<Windowed<String>, TrainingPair> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, TrainingPair> entry = all.next();
                long ts = entry.key.window().start();
                if (ts < from) {
                    continue;
                }
                first = Math.min(first, ts);
                last = Math.max(last, ts);
                (entry.value.heldOut() ? heldOut : train).add(entry.value);
            }
        }
        return new TrainingSnapshot(train, heldOut, first == Long.MAX_VALUE ? from : first,
                last == Long.MIN_VALUE ? from : last, conflictRate);
    }
}
