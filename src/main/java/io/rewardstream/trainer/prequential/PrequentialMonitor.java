package io.rewardstream.trainer.prequential;

import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.AlertSeverity;
import io.rewardstream.avro.DriftAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Follows the live model's prequential answers: hopping-window accuracy reports and a Page-Hinkley drift
 * detector on the error indicator (1 when the live model ordered a new pair wrongly).
 */
public final class PrequentialMonitor {

    public static final String DETECTOR = "page-hinkley";
    public static final String METRIC = "prequential_accuracy";

    /** What one scored pair produced: closed windows, and a drift alert with the estimated change start. */
    public record Outcome(List<AccuracyReport> reports, DriftAlert alert, long changeStart) {
    }

    private final String modelName;
    private final PrequentialWindows windows;
    private final PageHinkley detector;

    public PrequentialMonitor(String modelName, PrequentialWindows windows, PageHinkley detector) {
        this.modelName = modelName;
        this.windows = windows;
        this.detector = detector;
    }

    /**
     * A new model went live: its errors are a new stream, expected to run at the error rate it showed on
     * {@code heldOutPairs} held-out pairs at promotion.
     */
    public void modelChanged(double heldOutAccuracy, long heldOutPairs) {
        if (Double.isFinite(heldOutAccuracy) && heldOutPairs > 0) {
            detector.restart(1 - heldOutAccuracy, heldOutPairs);
        } else {
            detector.reset();
        }
    }

    public Outcome observe(long version, double temperature, long timestamp, double gap, long now) {
        List<AccuracyReport> reports = new ArrayList<>();
        for (PrequentialWindows.Window w : windows.add(timestamp, gap, temperature)) {
            reports.add(AccuracyReport.newBuilder()
                    .setModelName(modelName).setModelVersion(version).setKind(AccuracyKind.PREQUENTIAL)
                    .setWindowStart(Instant.ofEpochMilli(w.start())).setWindowEnd(Instant.ofEpochMilli(w.end())).setPairs(w.pairs()).setCorrect(w.correct())
                    .setAccuracy(w.accuracy()).setLogLoss(w.logLoss()).setMeanRewardGap(w.meanGap())
                    .setReportedAt(Instant.ofEpochMilli(now)).build());
        }
        PageHinkley.Detection detection = detector.add(gap > 0 ? 0.0 : 1.0, timestamp);
        if (detection == null) {
            return new Outcome(reports, null, Long.MIN_VALUE);
        }
        double baseline = 1 - detection.baseline();
        double current = 1 - detection.current();
        DriftAlert alert = DriftAlert.newBuilder()
                .setModelName(modelName).setModelVersion(version).setDetector(DETECTOR).setMetric(METRIC)
                .setBaseline(baseline).setCurrent(current).setThreshold(detector.lambda())
                .setSeverity(baseline - current >= 0.2 ? AlertSeverity.CRITICAL : AlertSeverity.WARNING)
                .setMessage(String.format(Locale.ROOT, "prequential accuracy of v%d fell from %.3f to %.3f"
                        + " after %d pairs; change estimated to start at %s (event time)", version, baseline, current,
                        detection.samples(), Instant.ofEpochMilli(detection.changeStart())))
                .setDetectedAt(Instant.ofEpochMilli(now)).build();
        return new Outcome(reports, alert, detection.changeStart());
    }

    /** A HELD_OUT report of a promoted model, to compare the prequential windows with. */
    public AccuracyReport heldOut(long version, long windowStart, long windowEnd, long pairs, double accuracy,
                                  double logLoss, double meanGap, long now) {
        return AccuracyReport.newBuilder()
                .setModelName(modelName).setModelVersion(version).setKind(AccuracyKind.HELD_OUT)
                .setWindowStart(Instant.ofEpochMilli(windowStart)).setWindowEnd(Instant.ofEpochMilli(windowEnd)).setPairs(pairs)
                .setCorrect(Math.round(accuracy * pairs)).setAccuracy(accuracy)
                .setLogLoss(Double.isFinite(logLoss) ? logLoss : null)
                .setMeanRewardGap(Double.isFinite(meanGap) ? meanGap : null).setReportedAt(Instant.ofEpochMilli(now)).build();
    }
}
