package io.rewardstream.bench;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenLayout;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.trainer.TrainerSettings;
import io.rewardstream.trainer.retrain.RetrainJob;
import io.rewardstream.trainer.retrain.RetrainSetup;
import io.rewardstream.trainer.retrain.TrainingPair;
import io.rewardstream.trainer.retrain.TrainingSnapshot;
import io.rewardstream.trainer.stream.EncodedEvent;
import io.rewardstream.trainer.stream.EventEncoder;
import io.rewardstream.trainer.stream.EventValidator;
import io.rewardstream.trainer.stream.PairExpansion;
import io.rewardstream.trainer.stream.TrainerSerdes;
import io.rewardstream.trainer.stream.TrainingPairSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Trainer figures in one run: ingest rate (pairs/s through decoding, validation, the internal topic's serde,
 * encoding, expansion and the training store's serde) next to the raw encoder throughput
 * for the same texts in the same batches, and the wall time of one retrain (training plus evaluation) on cached
 * features of the encoder's width.
 */
public final class TrainerBenchmark {

    /** Measured figures; rates in pairs per second. */
    public record Result(int events, int distinctPrompts, double ingestPerSecond, double encoderPerSecond,
                         double retrain10kSeconds, double retrain100kSeconds) {
        public double ratio() {
            return ingestPerSecond / encoderPerSecond;
        }
    }

    private TrainerBenchmark() {
    }

    /** On synthetic pairs (their prompts come from 80 distinct strings, so encoding dedupes most of them). */
    public static Result run(RetrainSetup model, int events) {
        SyntheticPreferences generator = new SyntheticPreferences(1, 0);
        return run(model, generator.pairs(50), new SyntheticPreferences(2, 0).pairs(events));
    }

    /**
     * @param warmUp   pairs ingested first, untimed
     * @param measured the pairs whose ingest is timed, e.g. real ones, whose prompts rarely repeat
     */
    public static Result run(RetrainSetup model, List<PreferencePair> warmUp, List<PreferencePair> measured) {
        List<PreferenceEvent> warm = events("warm", warmUp);
        List<PreferenceEvent> timed = events("bench", measured);
        double ingest = ingest(model, warm, timed);
        double encoder = rawEncoding(model.extractor(), timed);
        int width = model.extractor().width();
        int prompts = (int) measured.stream().map(PreferencePair::prompt).distinct().count();
        return new Result(measured.size(), prompts, ingest, encoder, retrain(model, 10_000, width),
                retrain(model, 100_000, width));
    }

    private static List<PreferenceEvent> events(String prefix, List<PreferencePair> pairs) {
        List<PreferenceEvent> events = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            PreferencePair pair = pairs.get(i);
            events.add(PreferenceEvent.newBuilder().setEventId(prefix + "-" + i).setPrompt(pair.prompt())
                    .setResponses(List.of(pair.chosen(), pair.rejected())).setRanking(List.of(0, 1))
                    .setEventTime(Instant.EPOCH).build());
        }
        return events;
    }

    /**
     * The per-record work of the trainer's stream thread, step by step as the topology runs it: Avro decode
     * from the source, validation, the internal topic's serialise and decode, encoding in batches of the default
     * training.encode-batch events, ranking expansion and the training store's value serialisation (the broker,
     * RocksDB and the encoding buffer's changelog are not included).
     */
    private static double ingest(RetrainSetup model, List<PreferenceEvent> warmUp, List<PreferenceEvent> measured) {
        TrainerSerdes serdes = TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
                "mock://trainer-bench-" + UUID.randomUUID())), AvroSerdeConfig.defaults());
        Serializer<PreferenceEvent> out = serdes.preferences().serializer();
        List<byte[]> source = new ArrayList<>();
        for (PreferenceEvent e : measured) {
            source.add(out.serialize("rlhf.preferences", e));
        }
        List<byte[]> warm = new ArrayList<>();
        warmUp.forEach(e -> warm.add(out.serialize("rlhf.preferences", e)));
        ingestAll(model, serdes, warm);
        long start = System.nanoTime();
        long pairs = ingestAll(model, serdes, source);
        return pairs / ((System.nanoTime() - start) / 1e9);
    }

    private static long ingestAll(RetrainSetup model, TrainerSerdes serdes, List<byte[]> source) {
        Deserializer<PreferenceEvent> in = serdes.preferences().deserializer();
        Serializer<PreferenceEvent> out = serdes.preferences().serializer();
        TrainingPairSerde store = new TrainingPairSerde();
        int batchSize = TrainerSettings.defaults().encodeBatch();
        List<PreferenceEvent> batch = new ArrayList<>(batchSize);
        long pairs = 0;
        for (int i = 0; i < source.size(); i++) {
            PreferenceEvent event = in.deserialize("rlhf.preferences", source.get(i));
            if (EventValidator.problem(event, TrainerSettings.defaults().eventLimits()) == null) {
                batch.add(in.deserialize("training-events", out.serialize("training-events", event)));
            }
            if (batch.size() == batchSize || (i == source.size() - 1 && !batch.isEmpty())) {
                for (EncodedEvent encoded : EventEncoder.encode(model.extractor(), batch)) {
                    for (TrainingPair pair : PairExpansion.pairs(encoded, 0.1, 42)) {
                        store.serializer().serialize("training-pairs", pair);
                        pairs++;
                    }
                }
                batch.clear();
            }
        }
        return pairs;
    }

    /**
     * Pairs per second the encoder alone could feed: the same texts (3 per pair) in the same batches of
     * training.encode-batch events that ingest encodes, each batch sorted by length as the encoder sorts it. (Sorting
     * all the texts at once would pad far less than any batch the trainer sees, on texts of HH-RLHF's spread of
     * lengths, and so would not be an upper bound of the same work.)
     */
    private static double rawEncoding(FeatureExtractor extractor, List<PreferenceEvent> events) {
        TextEncoder encoder = extractor.encoder();
        TokenLayout layout = encoder.tokenizer().layout(extractor.maxLength());
        int batchSize = TrainerSettings.defaults().encodeBatch();
        List<List<TokenSequence>> batches = new ArrayList<>();
        for (int from = 0; from < events.size(); from += batchSize) {
            List<TokenSequence> sequences = new ArrayList<>();
            for (PreferenceEvent e : events.subList(from, Math.min(events.size(), from + batchSize))) {
                sequences.add(layout.promptAlone(encoder.tokenizer().tokenize(List.of(e.getPrompt()))[0]));
                for (long[] ids : encoder.tokenizer().tokenize(e.getResponses())) {
                    sequences.add(layout.responseAlone(ids));
                }
            }
            batches.add(sequences);
        }
        long start = System.nanoTime();
        batches.forEach(encoder::embed);
        double seconds = (System.nanoTime() - start) / 1e9;
        return events.size() / seconds;
    }

    private static double retrain(RetrainSetup model, int pairs, int width) {
        Random random = new Random(pairs);
        float[] rule = new float[width];
        for (int i = 0; i < width; i++) {
            rule[i] = (float) random.nextGaussian();
        }
        List<TrainingPair> train = new ArrayList<>();
        List<TrainingPair> heldOut = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            float[] a = vector(random, width);
            float[] b = vector(random, width);
            boolean aWins = dot(a, rule) + random.nextGaussian() * 2 > dot(b, rule);
            TrainingPair pair = new TrainingPair("e" + i + "#0", "k" + i, true, aWins ? a : b, aWins ? b : a,
                    Float.NaN, 10, 10, i % 10 == 0, null);
            (pair.heldOut() ? heldOut : train).add(pair);
        }
        long start = System.nanoTime();
        new RetrainJob(model.options()).run(new TrainingSnapshot(train, heldOut, 0, 1, 0), null);
        return (System.nanoTime() - start) / 1e9;
    }

    private static float[] vector(Random random, int width) {
        float[] v = new float[width];
        for (int i = 0; i < width; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
