package io.rewardstream.scorer.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardstream.avro.DeadLetter;
import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.testkit.HostileFrames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorer's side of the hostile-input catalogue (docs/reliability.md): each class of bad record on
 * {@code rlhf.responses} becomes a dead letter with its reason, and the good response after it is still scored.
 * At-least-once here, because TopologyTestDriver shows what the deserialization handler returns only then; on a real
 * broker the same records commit with the input offsets.
 */
class HostileResponsesTest {

    private static final ScorerSettings SETTINGS = ScorerSettings.defaults().withBatchSize(1)
            .withLinger(Duration.ofMillis(1000));

    @TempDir
    Path stateDir;

    private ScoringDriver s;
    private SchemaRegistryClient registry;

    @BeforeEach
    void start() {
        s = new ScoringDriver(SETTINGS, stateDir, Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                StreamsConfig.AT_LEAST_ONCE));
        s.holder.install(new FakeModel(1));
        registry = SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, "mock://" + s.scope));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    /** Sends {@code value} under {@code key}, then a good response; returns the dead letters by key. */
    private Map<String, DeadLetter> sendThenGood(String key, byte[] value) {
        s.rawResponses.pipeInput(key, value);
        s.send("good-after-" + key, "What is the capital of France?", "Paris.");
        assertThat(s.rewards.readValuesToList()).extracting(ScoredResponse::getResponseId)
                .as("processing goes on after %s", key).contains("good-after-" + key);
        return s.deadLetters.readKeyValuesToList().stream()
                .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
    }

    private DeadLetter deadLetterFor(String key, byte[] value) {
        DeadLetter letter = sendThenGood(key, value).get(key);
        assertThat(letter).as("dead letter of %s", key).isNotNull();
        assertThat(letter.getSourceTopic()).isEqualTo(ScoringDriver.TOPICS.responses());
        return letter;
    }

    private byte[] framed(String prompt, String response) {
        return s.serdes.responses().serializer().serialize(ScoringDriver.TOPICS.responses(),
                ScoringDriver.response("x", prompt, response));
    }

    @Test
    void shouldDeadLetterGarbageBytesWithTheirRawValue() {
        DeadLetter letter = deadLetterFor("garbage", HostileFrames.garbage());

        assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZE);
        assertThat(letter.getErrorMessage()).containsIgnoringCase("magic byte");
        assertThat(letter.getValue().array()).isEqualTo(HostileFrames.garbage());
    }

    @Test
    void shouldDeadLetterAWrongMagicByte() {
        DeadLetter letter = deadLetterFor("magic", HostileFrames.wrongMagicByte());

        assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZE);
        assertThat(letter.getErrorMessage()).containsIgnoringCase("magic byte");
    }

    @Test
    void shouldDeadLetterAnUnknownSchemaId() {
        DeadLetter letter = deadLetterFor("unknown-id", HostileFrames.unknownSchemaId());

        assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZE);
        assertThat(letter.getErrorMessage()).contains("987654321");
    }

    @Test
    void shouldDeadLetterARecordOfAnotherType() {
        PreferenceEvent event = PreferenceEvent.newBuilder().setEventId("e").setPrompt("p")
                .setResponses(List.of("a", "b")).setRanking(List.of(0, 1)).setEventTime(Instant.EPOCH).build();

        DeadLetter letter = deadLetterFor("other-type", HostileFrames.framed(registry, "elsewhere-value", event));

        assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZE);
        assertThat(letter.getErrorMessage()).contains("PreferenceEvent");
    }

    @Test
    void shouldDeadLetterAnIncompatiblyEvolvedWriterSchema() {
        DeadLetter letter = deadLetterFor("evolved", HostileFrames.incompatibleResponse(registry, "evolved-value"));

        assertThat(letter.getStage()).isEqualTo(DeadLetters.DESERIALIZE);
        assertThat(letter.getErrorMessage()).containsAnyOf("response_id", "response");
    }

    @Test
    void shouldDeadLetterEmptyStringsAndATombstone() {
        assertThat(deadLetterFor("empty", framed("", "r")).getErrorMessage()).isEqualTo("prompt is empty");
        assertThat(deadLetterFor("blank", framed("p", "  \n")).getErrorMessage()).isEqualTo("response is empty");
        DeadLetter tombstone = deadLetterFor("tombstone", null);
        assertThat(tombstone.getStage()).isEqualTo(DeadLetters.VALIDATE);
        assertThat(tombstone.getErrorMessage()).contains("tombstone");
    }

    @Test
    void shouldDeadLetterATenMegabyteTextCarryingOnlyItsFirstBytes() {
        // Given a response of 10 MiB characters, far past input.max-text-chars
        char[] huge = new char[10 << 20];
        Arrays.fill(huge, 'a');

        // When
        DeadLetter letter = deadLetterFor("huge", framed("p", new String(huge)));

        // Then the reason names the size and the key, and the dead letter holds a bounded prefix of the record
        assertThat(letter.getErrorMessage())
                .isEqualTo("response has 10,485,760 characters; the limit is 100,000 (input.max-text-chars)");
        assertThat(letter.getValue().remaining()).isEqualTo(DeadLetters.MAX_RAW_BYTES);
        assertThat(letter.getValueSize()).isGreaterThan(10L << 20);
    }

    @Test
    void shouldDeadLetterControlCharacters() {
        assertThat(deadLetterFor("nul", framed("p", "a\u0000b")).getErrorMessage())
                .isEqualTo("response has the control character U+0000 at index 1");
        assertThat(deadLetterFor("bell", framed("ring\u0007", "r")).getErrorMessage())
                .isEqualTo("prompt has the control character U+0007 at index 4");
    }

    @Test
    void shouldScoreInvalidUtf8AsTheDecoderReplacesIt() {
        // Given a frame whose response bytes are the UTF-8-style encoding of a lone surrogate (ED A0 80), which no
        // UTF-8 encoder writes: the Avro decoder reads each bad byte as U+FFFD, so the text a scorer sees is valid
        byte[] frame = framed("p", "x@@@y");
        int at = indexOf(frame, "@@@".getBytes(StandardCharsets.UTF_8));
        frame[at] = (byte) 0xED;
        frame[at + 1] = (byte) 0xA0;
        frame[at + 2] = (byte) 0x80;

        // When
        s.rawResponses.pipeInput("cesu", frame);

        // Then it is scored, with replacement characters where the bytes were
        Map<String, ScoredResponse> rewards = s.rewards.readValuesToList().stream()
                .collect(Collectors.toMap(ScoredResponse::getResponseId, Function.identity()));
        assertThat(rewards.get("x").getResponse()).startsWith("x\ufffd").endsWith("y");
        assertThat(s.deadLetters.isEmpty()).isTrue();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
