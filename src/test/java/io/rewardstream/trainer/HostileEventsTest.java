package io.rewardstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterHandler;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.streams.StreamsProperties;
import io.rewardstream.testkit.HostileFrames;
import io.rewardstream.trainer.retrain.TrainingPair;
import io.rewardstream.trainer.stream.StoreNames;
import io.rewardstream.trainer.stream.TrainerFixtures;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's side of the hostile-input catalogue (docs/reliability.md): each class of bad record on
 * {@code rlhf.preferences} becomes a dead letter with its reason, and the good event after it is still stored. At
 * least once, so that TopologyTestDriver shows what the deserialization handler returns.
 */
class HostileEventsTest {

    private static final Topics TOPICS = Topics.defaults();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path temp;

    private TextEncoder encoder;
    private TopologyTestDriver driver;
    private SchemaRegistryClient registry;
    private TestInputTopic<String, PreferenceEvent> preferences;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private int good;

    @BeforeEach
    void start() throws Exception {
        encoder = TrainerFixtures.tinyEncoder(temp);
        registry = SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, "mock://hostile-" + UUID.randomUUID()));
        TrainerSerdes serdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
        Connection connection = new Connection("unused:9092", "mock://unused", TOPICS, temp.resolve("state"),
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE), Map.of());
        Properties props = StreamsProperties.of(connection, "trainer-hostile", new DeadLetterHandler.Target(
                TOPICS.deadLetters(), serdes.deadLetters().serializer(), "trainer-hostile", () -> { }), Map.of());
        TrainerSettings settings = TrainerSettings.defaults().toBuilder().encoding(1, Duration.ofMillis(100)).build();
        driver = new TopologyTestDriver(TrainerTopology.build(props, TOPICS, settings, serdes,
                TrainerFixtures.model(encoder), Runnable::run, Runnable::run), props, T0);
        preferences = driver.createInputTopic(TOPICS.preferences(), new StringSerializer(),
                serdes.preferences().serializer());
        raw = driver.createInputTopic(TOPICS.preferences(), new StringSerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new StringDeserializer(),
                serdes.deadLetters().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        encoder.close();
    }

    private static PreferenceEvent event(String id, String prompt, List<String> responses, List<Integer> ranking,
                                         Double strength) {
        return TrainerFixtures.event(id, prompt, responses, ranking, strength);
    }

    /** Sends the bad record, then a good event; returns the bad record's dead letter after checking the good one. */
    private DeadLetter deadLetterFor(String key, byte[] value) {
        raw.pipeInput(key, value, T0);
        return afterGood(key);
    }

    private DeadLetter deadLetterFor(PreferenceEvent bad) {
        preferences.pipeInput(bad.getEventId(), bad, T0);
        return afterGood(bad.getEventId());
    }

    private DeadLetter afterGood(String key) {
        String id = "good-" + good++;
        preferences.pipeInput(id, event(id, "Which is kinder?", List.of("Thank you!", "Go away."), List.of(0, 1),
                null), T0);
        assertThat(storedPairIds()).as("processing goes on after %s", key).contains(id + "#0");
        Map<String, DeadLetter> letters = deadLetters.readKeyValuesToList().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
        assertThat(letters).as("dead letter of %s", key).containsKey(key);
        return letters.get(key);
    }

    private List<String> storedPairIds() {
        WindowStore<String, TrainingPair> store = driver.getWindowStore(StoreNames.TRAINING_PAIRS);
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, TrainingPair> all = store.all()) {
            all.forEachRemaining(entry -> ids.add(entry.value.pairId()));
        }
        return ids;
    }

    @Test
    void shouldDeadLetterBytesThatAreNotAnEvent() {
        DeadLetter garbage = deadLetterFor("garbage", HostileFrames.garbage());
        DeadLetter magic = deadLetterFor("magic", HostileFrames.wrongMagicByte());
        DeadLetter unknown = deadLetterFor("unknown-id", HostileFrames.unknownSchemaId());
        RolloutResponse response = RolloutResponse.newBuilder().setResponseId("r").setPrompt("p").setResponse("x")
                .setCreatedAt(T0).build();
        DeadLetter other = deadLetterFor("other-type", HostileFrames.framed(registry, "elsewhere-value", response));

        assertThat(List.of(garbage, magic, unknown, other)).allSatisfy(letter ->
                assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZE));
        assertThat(garbage.getErrorMessage()).contains("magic byte");
        assertThat(magic.getErrorMessage()).contains("magic byte 0x01");
        assertThat(unknown.getErrorMessage()).contains("987654321");
        assertThat(other.getErrorMessage()).contains("RolloutResponse cannot be resolved to reader schema")
                .contains("PreferenceEvent");
    }

    @Test
    void shouldDeadLetterRankingsWithRepeatedMissingOutOfRangeIndicesOrTheWrongLength() {
        List<String> three = List.of("a", "b", "c");

        assertThat(deadLetterFor(event("repeated", "p", three, List.of(1, 1), null)).getErrorMessage())
                .isEqualTo("ranking index 1 repeated");
        assertThat(deadLetterFor(event("missing", "p", three, List.of(), null)).getErrorMessage())
                .isEqualTo("empty ranking");
        assertThat(deadLetterFor(event("out-of-range", "p", three, List.of(0, 3), null)).getErrorMessage())
                .isEqualTo("ranking index 3 out of range [0, 3)");
        assertThat(deadLetterFor(event("negative", "p", three, List.of(-1, 0), null)).getErrorMessage())
                .isEqualTo("ranking index -1 out of range [0, 3)");
        assertThat(deadLetterFor(event("too-long", "p", three, List.of(0, 1, 2, 0), null)).getErrorMessage())
                .isEqualTo("ranking has 4 entries for 3 responses");
    }

    @Test
    void shouldDeadLetterARankingOfAThousandResponsesWhoseExpansionPassesTheCap() {
        // Given a full ranking of 1,000 responses: 499,500 ordered pairs
        List<String> responses = IntStream.range(0, 1_000).mapToObj(i -> "response " + i).toList();
        List<Integer> ranking = IntStream.range(0, 1_000).boxed().toList();

        // When / Then: refused before it is expanded or encoded
        assertThat(deadLetterFor(event("thousand", "p", responses, ranking, null)).getErrorMessage())
                .isEqualTo("a ranking of 1000 of 1000 responses expands into 499,500 pairs; the limit is 1,000"
                        + " (training.max-pairs-per-event)");
        // while a best-of-1,000 (999 pairs) is within it
        String best = "best-of-thousand";
        preferences.pipeInput(best, event(best, "p", responses, List.of(7), null), T0);
        assertThat(storedPairIds()).filteredOn(id -> id.startsWith(best)).hasSize(999);
    }

    @Test
    void shouldDeadLetterNaNInfiniteOrNegativeStrength() {
        List<String> two = List.of("x", "y");

        assertThat(deadLetterFor(event("nan", "p", two, List.of(0, 1), Double.NaN)).getErrorMessage())
                .isEqualTo("strength NaN outside (0, 1]");
        assertThat(deadLetterFor(event("inf", "p", two, List.of(0, 1), Double.POSITIVE_INFINITY)).getErrorMessage())
                .isEqualTo("strength Infinity outside (0, 1]");
        assertThat(deadLetterFor(event("negative", "p", two, List.of(0, 1), -0.5)).getErrorMessage())
                .isEqualTo("strength -0.5 outside (0, 1]");
    }

    @Test
    void shouldDeadLetterEmptyHugeAndControlCharacterTexts() {
        char[] huge = new char[10 << 20];
        Arrays.fill(huge, 'z');

        assertThat(deadLetterFor(event("empty", "p", List.of("x", ""), List.of(0, 1), null)).getErrorMessage())
                .isEqualTo("empty response at index 1");
        DeadLetter big = deadLetterFor(event("huge", new String(huge), List.of("x", "y"), List.of(0, 1), null));
        assertThat(big.getErrorMessage())
                .isEqualTo("prompt has 10,485,760 characters; the limit is 100,000 (input.max-text-chars)");
        assertThat(big.getValue().remaining()).isEqualTo(DeadLetters.MAX_RAW_BYTES);
        assertThat(big.getValueSize()).isGreaterThan(10L << 20);
        assertThat(deadLetterFor(event("control", "p", List.of("x\u001b[31m", "y"), List.of(0, 1), null))
                .getErrorMessage()).isEqualTo("response 0 has the control character U+001B at index 1");
    }
}
