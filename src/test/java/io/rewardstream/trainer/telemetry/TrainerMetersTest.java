package io.rewardstream.trainer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.AlertSeverity;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ReleaseStatus;
import io.rewardstream.avro.RejectionStage;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.scorer.release.Releases;
import io.rewardstream.status.EventLog;
import io.rewardstream.status.StatusEvent;
import io.rewardstream.trainer.stream.TrainerObserver;
import io.rewardstream.trainer.stream.TrainerOutput;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrainerMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final EventLog events = new EventLog();
    private final TrainerMeters meters = new TrainerMeters(registry, events);

    private static AccuracyReport report(AccuracyKind kind, double accuracy, Double conflicts) {
        return AccuracyReport.newBuilder().setModelName("rm").setModelVersion(3).setKind(kind)
                .setWindowStart(Instant.EPOCH).setWindowEnd(Instant.EPOCH).setPairs(40).setCorrect(30)
                .setAccuracy(accuracy).setReportedAt(Instant.EPOCH).setConflictRate(conflicts).build();
    }

    @Test
    void shouldExposeTheLiveModelAndAccuracyAsGaugesAndMarkPromotionsRejectionsAndDrift() {
        // Given
        ModelRelease release = Releases.of(ModelFixtures.trained(FeatureLayout.SEPARATE), 3).setModelName("rm")
                .setStatus(ReleaseStatus.PROMOTED).build();

        // When
        meters.published(TrainerOutput.release(release));
        meters.published(TrainerOutput.metric(report(AccuracyKind.PREQUENTIAL, 0.625, 0.05)));
        meters.published(TrainerOutput.metric(DriftAlert.newBuilder().setModelName("rm").setModelVersion(3)
                .setDetector("page-hinkley").setMetric("prequential_accuracy").setBaseline(0.9).setCurrent(0.4)
                .setSeverity(AlertSeverity.CRITICAL).setMessage("fell").setDetectedAt(Instant.EPOCH).build()));
        meters.published(TrainerOutput.metric(ReleaseRejected.newBuilder().setModelName("rm").setVersion(4)
                .setStage(RejectionStage.TRAINER_EVALUATION).setReason("worse than the live model").setRejectedAt(Instant.EPOCH).build()));
        meters.trainingFinished(false, 2.5, TrainerObserver.Outcome.PROMOTED);
        meters.storedPairs(812);
        String scrape = registry.scrape();

        // Then
        assertThat(scrape)
                .contains("rewardstream_trainer_model_info{name=\"rm\",version=\"3\"} 1")
                .contains("rewardstream_trainer_prequential_accuracy_ratio 0.625")
                .contains("rewardstream_trainer_conflict_rate_ratio 0.05")
                .contains("rewardstream_trainer_training_store_pairs 812")
                .contains("rewardstream_trainer_promotions_total 1.0")
                .contains("rewardstream_trainer_rejections_total 1.0")
                .contains("rewardstream_trainer_drift_alerts_total{detector=\"page-hinkley\"} 1.0")
                .contains("rewardstream_trainer_retrain_duration_seconds_bucket{kind=\"head\",outcome=\"promoted\",le=\"5.0\"} 1")
                .contains("rewardstream_trainer_retrain_duration_seconds_bucket{kind=\"head\",outcome=\"promoted\",le=\"2.0\"} 0");
        assertThat(meters.heldOut()).isEqualTo(release.getEvaluation().getAccuracy());
        assertThat(events.all()).extracting(StatusEvent::kind)
                .containsExactly(StatusEvent.PROMOTED, StatusEvent.DRIFT, StatusEvent.REJECTED);
        assertThat(events.all().get(2).detail()).isEqualTo("worse than the live model");
    }

    @Test
    void shouldReplaceTheModelInfoWhenAnotherModelGoesLive() {
        meters.liveRelease(Releases.of(ModelFixtures.trained(FeatureLayout.SEPARATE), 1).setModelName("rm").build());
        meters.liveRelease(Releases.of(ModelFixtures.trained(FeatureLayout.SEPARATE), 2).setModelName("rm").build());

        assertThat(registry.scrape()).contains("version=\"2\"} 1").doesNotContain("version=\"1\"}");
    }
}
