package io.rewardstream.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class AnnotatorTest {

    private static final Serializer<PreferenceEvent> UNUSED = (topic, value) -> new byte[0];

    private static MockProducer<String, PreferenceEvent> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), UNUSED);
    }

    @Test
    void shouldSendOneMalformedEventInAHundredAndKeepTheRestValid() {
        MockProducer<String, PreferenceEvent> producer = producer();
        List<String> events = new CopyOnWriteArrayList<>();
        try (Annotator annotator = new Annotator(producer, "prefs",
                Annotator.PairSource.synthetic(new SyntheticPreferences(1, 0)), "synthetic", 2000, events::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> annotator.sent() >= 250);
        }

        List<PreferenceEvent> sent = producer.history().stream().map(ProducerRecord::value).toList();
        assertThat(sent).allSatisfy(e -> assertThat(e.getResponses()).hasSize(2));
        assertThat(sent.get(99).getRanking()).containsExactly(0, 0);
        assertThat(sent.get(199).getRanking()).containsExactly(0, 0);
        assertThat(sent.subList(0, 99)).allSatisfy(e -> assertThat(e.getRanking()).containsExactly(0, 1));
        assertThat(sent.stream().map(PreferenceEvent::getEventId).distinct().count()).isEqualTo(sent.size());
        assertThat(producer.history()).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getEventId()));
    }

    @Test
    void shouldReverseEveryJudgmentAfterAFlipAndStopWhenAReplayEnds() {
        List<PreferencePair> pairs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pairs.add(new PreferencePair("prompt " + i, "good " + i, "bad " + i, Double.NaN));
        }
        MockProducer<String, PreferenceEvent> producer = producer();
        List<String> events = new CopyOnWriteArrayList<>();
        try (Annotator annotator = new Annotator(producer, "prefs", Annotator.PairSource.replay(pairs), "replay:x",
                100, events::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> annotator.sent() >= 5);
            annotator.flip();
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.contains("replayed all")));
            assertThat(annotator.sent()).isEqualTo(40);
        }

        List<PreferenceEvent> sent = producer.history().stream().map(ProducerRecord::value).toList();
        assertThat(sent).hasSize(40);
        assertThat(sent.get(0).getResponses()).containsExactly("good 0", "bad 0");
        assertThat(sent.get(39).getResponses()).containsExactly("bad 39", "good 39");
        assertThat(sent).allSatisfy(e -> assertThat(e.getSource()).isEqualTo("replay:x"));
        assertThat(events).anyMatch(e -> e.contains("opposite answer"));
    }
}
