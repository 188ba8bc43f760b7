package io.rewardstream.trainer.stream;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.head.Activation;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.onnx.TinyEncoders;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.trainer.retrain.RetrainSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small encoders, events and serdes for trainer tests. */
public final class TrainerFixtures {

    private TrainerFixtures() {
    }

    /** The hidden-size-4 embedding-lookup encoder with the MiniLM tokenizer: cheap, deterministic features. */
    public static TextEncoder tinyEncoder(Path temp) throws IOException {
        return tinyEncoder(temp, TinyEncoders.VOCAB);
    }

    /**
     * The tiny encoder knowing only the first {@code vocab} token ids: ONNX Runtime fails on any text with a later
     * one. In the MiniLM vocabulary ids below 1996 are special tokens and single characters; 1996 is "the".
     */
    public static TextEncoder tinyEncoder(Path temp, int vocab) throws IOException {
        Path dir = temp.resolve("tiny-encoder-" + vocab);
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"),
                TinyEncoders.embeddingLookup(TinyEncoders.embeddingTable(3), vocab, "last_hidden_state"));
        Files.write(dir.resolve("tokenizer.json"), EncoderSource.resolve(EncoderSource.DEFAULT).tokenizerJson());
        return TextEncoder.load(EncoderSource.resolve(dir.toString()), 1, 32);
    }

    public static RetrainSetup model(TextEncoder encoder) {
        return new RetrainSetup(new FeatureExtractor(encoder, FeatureLayout.SEPARATE, 64),
                TrainingOptions.defaults(7).withHead(0, Activation.NONE));
    }

    public static TrainerSerdes serdes() {
        String url = "mock://trainer-" + UUID.randomUUID();
        return TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, url)),
                AvroSerdeConfig.defaults());
    }

    public static PreferenceEvent event(String id, String prompt, List<String> responses, List<Integer> ranking,
                                        Double strength) {
        return PreferenceEvent.newBuilder().setEventId(id).setPrompt(prompt).setResponses(responses)
                .setRanking(ranking).setStrength(strength).setEventTime(Instant.ofEpochMilli(0)).build();
    }

    /** Pairwise events (chosen first) following the synthetic hidden rule, with ids prefix-0, prefix-1, ... */
    public static List<PreferenceEvent> synthetic(String prefix, int count, long seed) {
        List<PreferenceEvent> events = new ArrayList<>(count);
        SyntheticPreferences generator = new SyntheticPreferences(seed, 0);
        for (int i = 0; i < count; i++) {
            PreferencePair pair = generator.next();
            events.add(event(prefix + "-" + i, pair.prompt(), List.of(pair.chosen(), pair.rejected()), List.of(0, 1),
                    null));
        }
        return events;
    }
}
