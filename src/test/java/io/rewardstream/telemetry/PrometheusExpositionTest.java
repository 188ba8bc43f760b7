package io.rewardstream.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.DeadLetter;
import io.rewardstream.config.Topics;
import io.rewardstream.deadletter.DeadLetterMeter;
import io.rewardstream.deadletter.DeadLetters;
import io.rewardstream.model.RewardModel;
import io.rewardstream.scorer.serving.FakeModel;
import io.rewardstream.scorer.serving.ModelHolder;
import io.rewardstream.scorer.serving.ScoringMetrics;
import io.rewardstream.serde.AvroSerde;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.streams.RecordMeters;
import io.rewardstream.streams.StreamsMeters;
import io.rewardstream.trainer.stream.TrainerObserver;
import io.rewardstream.trainer.stream.TrainerOutput;
import io.rewardstream.trainer.telemetry.TrainerMeters;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code /metrics} shows of a process running both roles, checked against Prometheus's own linter
 * ({@code promtool check metrics}, Debian package {@code prometheus}) and for the shapes operators rely on. The
 * scrape is kept in {@code target/metrics-sample.prom} for a look.
 */
class PrometheusExpositionTest {

    @TempDir
    Path temp;

    private final Telemetry telemetry = new Telemetry("exposition test");
    private final ModelHolder holder = new ModelHolder();
    private KafkaStreams streams;
    private StreamsMeters streamsMeters;

    @AfterEach
    void close() {
        if (streamsMeters != null) {
            streamsMeters.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(5));
        }
        holder.close();
        telemetry.close();
    }

    private String scrapeOfBothRoles() throws Exception {
        ScoringMetrics scoring = new ScoringMetrics(telemetry.registry(), holder, () -> "cpu");
        holder.install(new FakeModel(7));
        for (int size : new int[] {1, 3, 17, 64}) {
            scoring.batch(ScoringMetrics.STREAM, size, Duration.ofMillis(12L * size));
            scoring.rewards(7, List.of(new RewardModel.Score(0.4, -0.3, false), new RewardModel.Score(2, 1.7, false)));
        }
        TrainerMeters trainer = new TrainerMeters(telemetry.registry(), telemetry.board().events());
        trainer.published(TrainerOutput.metric(AccuracyReport.newBuilder().setModelName("rm").setModelVersion(7)
                .setKind(AccuracyKind.PREQUENTIAL).setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH)
                .setPairs(50).setCorrect(40).setAccuracy(0.8).setReportedAt(Instant.EPOCH).build()));
        trainer.trainingFinished(false, 1.5, TrainerObserver.Outcome.REJECTED);
        trainer.liveRelease(io.rewardstream.scorer.release.Releases.of(io.rewardstream.model.ModelFixtures.trained(
                io.rewardstream.head.FeatureLayout.SEPARATE), 7).setModelName("rm").build());
        trainer.trainingFinished(true, Double.NaN, TrainerObserver.Outcome.FAILED);

        String scope = "mock://exposition-" + UUID.randomUUID();
        Serde<DeadLetter> deadLetters = DeadLetterMeter.counted(AvroSerde.specific(DeadLetter.class,
                SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, scope)), AvroSerdeConfig.defaults()),
                telemetry.registry(), "trainer");
        deadLetters.serializer().serialize("rlhf.dead-letters", DeadLetters.of(new DeadLetters.Origin("rlhf.preferences",
                0, 5, null, new byte[] {1}, null, null), "io.rewardstream.trainer.stream.InvalidEvent", "no prompt",
                DeadLetters.VALIDATE, "app", 0));
        Serde<String> preferences = RecordMeters.counted(Serdes.String(), telemetry.registry(), "trainer",
                Set.of(Topics.defaults().preferences()));
        preferences.deserializer().deserialize(Topics.defaults().preferences(), "x".getBytes(StandardCharsets.UTF_8));

        io.micrometer.core.instrument.Timer.builder(io.rewardstream.http.Route.REQUESTS).description("HTTP requests").tag("route", "/get_reward")
                .tag("method", "POST").tag("status", "200").register(telemetry.registry()).record(Duration.ofMillis(8));

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "exposition-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, temp.toString());
        streams = new KafkaStreams(builder.build(), props);
        streamsMeters = StreamsMeters.bind(streams, telemetry.registry(), "scorer");
        return telemetry.scrape();
    }

    @Test
    void shouldNameAndShapeTheMetricsOfBothRolesTheWayPrometheusExpects() throws Exception {
        String scrape = scrapeOfBothRoles();

        assertThat(scrape)
                .contains("rewardstream_build_info{java_version=")
                .contains("rewardstream_scorer_model_info{device=\"cpu\",name=\"fake-rm\",version=\"7\"} 1")
                .contains("rewardstream_scorer_batch_size_items_bucket{path=\"stream\",le=\"16.0\"} 2")
                .contains("rewardstream_scorer_batch_duration_seconds_bucket{path=\"stream\",le=\"0.025\"} 1")
                .contains("rewardstream_scorer_reward_normalized_bucket{model_version=\"7\",le=\"0.0\"} 4")
                .contains("rewardstream_scorer_reward_normalized_count{model_version=\"7\"} 8")
                .contains("rewardstream_trainer_prequential_accuracy_ratio 0.8")
                .contains("rewardstream_trainer_retrain_duration_seconds_count{kind=\"head\",outcome=\"rejected\"} 1")
                .contains("rewardstream_trainer_retrain_failures_total{kind=\"fine_tune\"} 1.0")
                .contains("rewardstream_dead_letters_total{reason=\"InvalidEvent\",role=\"trainer\",stage=\"validate\"} 1.0")
                .contains("rewardstream_records_in_total{role=\"trainer\",topic=\"rlhf.preferences\"} 1.0")
                .contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("process_cpu_usage")
                .contains("process_uptime_seconds").contains("kafka_stream_");
        // Batch sizes: a handful of buckets per series, not hundreds.
        assertThat(count(scrape, "rewardstream_scorer_batch_size_items_bucket\\{path=\"stream\"")).isEqualTo(14);
        // A model version is a label of an info metric, never a value.
        assertThat(scrape).doesNotContain("rewardstream_scorer_model_version ");
    }

    @Test
    void shouldPassPromtoolCheckMetrics() throws Exception {
        File promtool = new File("/usr/bin/promtool");
        assumeTrue(promtool.canExecute(), "promtool is not installed (Debian package prometheus); skipping the lint"
                + " of /metrics");
        String scrape = scrapeOfBothRoles();
        Path sample = Path.of("target", "metrics-sample.prom");
        Files.createDirectories(sample.getParent());
        Files.writeString(sample, scrape, StandardCharsets.UTF_8);

        Process lint = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectInput(sample.toFile())
                .redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output).as("promtool check metrics on %s", sample).isEmpty();
        assertThat(lint.exitValue()).isZero();
    }

    @Test
    void shouldShipAGrafanaDashboardWhoseQueriesUseMetricsThatExist() throws Exception {
        String scrape = scrapeOfBothRoles();
        String dashboard = Files.readString(Path.of("grafana", "rewardstream-dashboard.json"), StandardCharsets.UTF_8);
        var panels = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard).path("panels");

        assertThat(panels).hasSizeGreaterThan(10);
        Matcher names = Pattern.compile("\\b(rewardstream_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+)\\b").matcher(dashboard);
        int checked = 0;
        while (names.find()) {
            assertThat(scrape).as("metric %s used by the dashboard", names.group(1)).contains(names.group(1));
            checked++;
        }
        assertThat(checked).isGreaterThan(15);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
