package io.rewardstream.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final StatusBoard board = new StatusBoard("test board", Duration.ofSeconds(5), clock::get);
    private final AtomicLong reads = new AtomicLong();

    /** A role with one card and one chart whose series counts the samples; its second line never has data. */
    private final StatusSource source = new StatusSource() {
        @Override
        public String name() {
            return "role";
        }

        @Override
        public Readiness readiness() {
            return reads.get() < 2 ? Readiness.no("warming up") : Readiness.yes();
        }

        @Override
        public Map<String, Map<String, Object>> cards() {
            return Map.of("Card", Map.of("records", 1234));
        }

        @Override
        public List<Chart> charts() {
            return List.of(new Chart("reads", "Reads", "per second", true, List.of(new Chart.Line("reads", "reads"),
                    new Chart.Line("never", "never sampled"))));
        }

        @Override
        public Map<String, Double> sample(double seconds) {
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("reads", (double) reads.incrementAndGet());
            row.put("gap", reads.get() == 2 ? Double.NaN : 1.0);
            return row;
        }
    };

    @Test
    void shouldServeSampledSeriesAlignedWithTheirTimesAndOnlyTheLinesThatHaveData() throws Exception {
        // Given
        board.add(source);

        // When
        for (int i = 0; i < 3; i++) {
            board.sample();
            clock.addAndGet(5_000);
        }
        JsonNode series = JSON.valueToTree(board.series());

        // Then
        assertThat(series.at("/time")).hasSize(3);
        assertThat(series.at("/time/1").asLong()).isEqualTo(1_005_000L);
        JsonNode chart = series.at("/charts/0");
        assertThat(chart.at("/id").asText()).isEqualTo("reads");
        assertThat(chart.at("/role").asText()).isEqualTo("role");
        assertThat(chart.at("/lines")).hasSize(1);
        assertThat(chart.at("/lines/0/values").toString()).isEqualTo("[1.0,2.0,3.0]");
    }

    @Test
    void shouldReportEachRolesReadinessAndCardsAndTheEventsInOrder() throws Exception {
        board.add(source);
        board.events().add(new StatusEvent(5, StatusEvent.PROMOTED, "v1 promoted", "held-out accuracy 0.9"));
        board.events().add(new StatusEvent(9, StatusEvent.DRIFT, "drift alert", "accuracy fell"));

        JsonNode status = JSON.valueToTree(board.status());
        JsonNode events = JSON.valueToTree(board.eventList());

        assertThat(status.at("/title").asText()).isEqualTo("test board");
        assertThat(status.at("/ready").asBoolean()).isFalse();
        assertThat(status.at("/roles/0/not_ready_reason").asText()).isEqualTo("warming up");
        assertThat(status.at("/roles/0/cards/Card/records").asInt()).isEqualTo(1234);
        assertThat(events.at("/events/0/kind").asText()).isEqualTo("promoted");
        assertThat(events.at("/events/1/title").asText()).isEqualTo("drift alert");
    }

    @Test
    void shouldKeepOnlyTheNewestSamples() {
        Timeline timeline = new Timeline(3);
        for (int i = 0; i < 5; i++) {
            timeline.append(i, Map.of("x", (double) i));
        }
        assertThat(timeline.columns().time()).containsExactly(2L, 3L, 4L);
        assertThat(timeline.columns().series().get("x")).containsExactly(2.0, 3.0, 4.0);
    }
}
