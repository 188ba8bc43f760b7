package io.rewardstream.trainer.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.status.EventLog;
import io.rewardstream.status.StatusEvent;
import io.rewardstream.trainer.prequential.PrequentialMonitor;
import io.rewardstream.trainer.stream.TrainerObserver;
import io.rewardstream.trainer.stream.TrainerOutput;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trainer's meters and events, fed by the training store: retrain durations per kind and outcome (buckets 1 s to
 * 1 h), promotions, rejections, failures, drift alerts, held-out and prequential accuracy and the conflict rate as
 * gauges, the training pairs stored, and the live model as labels of {@code rewardstream_trainer_model_info}.
 * Promotions, rejections and drift alerts also go to the status page's event log.
 */
public final class TrainerMeters implements TrainerObserver {

    public static final String HELD_OUT = "rewardstream.trainer.heldout.accuracy";
    public static final String PREQUENTIAL = "rewardstream.trainer.prequential.accuracy";
    public static final String CONFLICTS = "rewardstream.trainer.conflict.rate";
    public static final String STORED = "rewardstream.trainer.training.store.pairs";
    public static final String RETRAIN = "rewardstream.trainer.retrain.duration";
    public static final String MODEL_INFO = "rewardstream.trainer.model.info";

    static final Duration[] RETRAIN_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1)};

    private final MeterRegistry registry;
    private final EventLog events;
    private final Counter promotions;
    private final Counter driftAlerts;
    private final Counter rejections;
    private final AtomicReference<Double> heldOut = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> prequential = new AtomicReference<>(Double.NaN);
    private final AtomicLong prequentialPairs = new AtomicLong();
    private final AtomicReference<Double> conflictRate = new AtomicReference<>(Double.NaN);
    private final AtomicLong stored = new AtomicLong();
    private final AtomicReference<ModelRelease> live = new AtomicReference<>();
    private final AtomicReference<String> lastRejection = new AtomicReference<>();
    private Meter info;

    public TrainerMeters(MeterRegistry registry, EventLog events) {
        this.registry = registry;
        this.events = events;
        this.promotions = Counter.builder("rewardstream.trainer.promotions").description("Models promoted")
                .register(registry);
        this.driftAlerts = Counter.builder("rewardstream.trainer.drift.alerts")
                .description("Drift alerts raised by the prequential monitor").tag("detector", PrequentialMonitor.DETECTOR)
                .register(registry);
        this.rejections = Counter.builder("rewardstream.trainer.rejections")
                .description("Candidates not promoted (worse than the live model, below the floor, or failed)")
                .register(registry);
        Gauge.builder(HELD_OUT, heldOut, AtomicReference::get).baseUnit("ratio")
                .description("Held-out pairwise accuracy of the live model at its promotion").register(registry);
        Gauge.builder(PREQUENTIAL, prequential, AtomicReference::get).baseUnit("ratio")
                .description("Accuracy of the live model on new pairs before it learns from them (last window)")
                .register(registry);
        Gauge.builder(CONFLICTS, conflictRate, AtomicReference::get).baseUnit("ratio")
                .description("Share of judgments that contradict an earlier one on the same responses")
                .register(registry);
        Gauge.builder(STORED, stored, AtomicLong::get).baseUnit("pairs")
                .description("Training pairs in the training store (held-out pairs not counted)").register(registry);
    }

    @Override
    public void published(TrainerOutput output) {
        if (output.kind() == TrainerOutput.Kind.RELEASE) {
            ModelRelease release = output.release();
            promotions.increment();
            liveRelease(release);
            events.add(new StatusEvent(release.getCreatedAt().toEpochMilli(), StatusEvent.PROMOTED,
                    "v" + release.getVersion() + " promoted", String.format(Locale.ROOT,
                    "held-out accuracy %.3f on %d pairs, trained on %d pairs; %s",
                    release.getEvaluation().getAccuracy(), release.getTraining().getHeldoutPairs(),
                    release.getTraining().getTrainPairs(), release.getStatusReason())));
        } else if (output.metric() instanceof AccuracyReport report) {
            accuracy(report);
        } else if (output.metric() instanceof DriftAlert alert) {
            driftAlerts.increment();
            events.add(new StatusEvent(alert.getDetectedAt().toEpochMilli(), StatusEvent.DRIFT,
                    "drift alert (" + alert.getDetector() + ")", alert.getMessage()));
        } else if (output.metric() instanceof ReleaseRejected rejected) {
            rejections.increment();
            lastRejection.set("v" + rejected.getVersion() + ": " + rejected.getReason());
            events.add(new StatusEvent(rejected.getRejectedAt().toEpochMilli(), StatusEvent.REJECTED,
                    "v" + rejected.getVersion() + " not promoted", rejected.getReason()));
        }
    }

    private void accuracy(AccuracyReport report) {
        if (report.getKind() == AccuracyKind.HELD_OUT) {
            heldOut.set(report.getAccuracy());
        } else if (report.getKind() == AccuracyKind.PREQUENTIAL) {
            prequential.set(report.getAccuracy());
            prequentialPairs.set(report.getPairs());
            if (report.getConflictRate() != null) {
                conflictRate.set(report.getConflictRate());
            }
        }
    }

    @Override
    public synchronized void liveRelease(ModelRelease release) {
        live.set(release);
        heldOut.set(release.getEvaluation().getAccuracy());
        if (info != null) {
            registry.remove(info);
        }
        info = Gauge.builder(MODEL_INFO, () -> 1).description("The live model; the value is always 1")
                .tags(Tags.of("name", release.getModelName(), "version", Long.toString(release.getVersion())))
                .register(registry);
    }

    @Override
    public void trainingFinished(boolean fineTune, double seconds, Outcome outcome) {
        String kind = fineTune ? "fine_tune" : "head";
        String result = outcome.name().toLowerCase(Locale.ROOT);
        if (Double.isNaN(seconds)) {
            Counter.builder("rewardstream.trainer.retrain.failures").description("Trainings that failed")
                    .tag("kind", kind).register(registry).increment();
            events.add(new StatusEvent(System.currentTimeMillis(), StatusEvent.FAILED, kind.replace('_', '-')
                    + " training failed", "see the trainer's log"));
            return;
        }
        Timer.builder(RETRAIN).description("Time a training took, by kind and outcome").tag("kind", kind)
                .tag("outcome", result).serviceLevelObjectives(RETRAIN_BUCKETS).register(registry)
                .record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    @Override
    public void storedPairs(long pairs) {
        stored.set(pairs);
    }

    double heldOut() {
        return heldOut.get();
    }

    double prequential() {
        return prequential.get();
    }

    long prequentialPairs() {
        return prequentialPairs.get();
    }

    double conflictRate() {
        return conflictRate.get();
    }

    long stored() {
        return stored.get();
    }

    ModelRelease live() {
        return live.get();
    }

    String lastRejection() {
        return lastRejection.get();
    }

    double promotions() {
        return promotions.count();
    }

    double driftAlerts() {
        return driftAlerts.count();
    }

    double rejections() {
        return rejections.count();
    }
}
