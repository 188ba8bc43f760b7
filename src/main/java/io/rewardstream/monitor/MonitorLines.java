package io.rewardstream.monitor;

import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ScoreStatistics;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * How {@code monitor} writes an event of the models and metrics topics: one line of words for a person, or one flat
 * JSON object for a program ({@code type}, {@code time} and the event's figures; a release without its weights).
 */
public final class MonitorLines {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private MonitorLines() {
    }

    /** A line for a person, e.g. {@code 12:23:27 v2 promoted: held-out accuracy 0.919 on 62 pairs ...}. */
    public static String text(SpecificRecord event) {
        if (event instanceof ModelRelease r) {
            return CLOCK.format(r.getCreatedAt()) + " " + r.getModelName() + " v" + r.getVersion() + " "
                    + r.getStatus().name().toLowerCase(Locale.ROOT) + String.format(Locale.ROOT,
                    ": held-out accuracy %.3f on %d pairs, trained on %d pairs (%s)",
                    r.getEvaluation().getAccuracy(), r.getTraining().getHeldoutPairs(),
                    r.getTraining().getTrainPairs(), r.getStatusReason());
        }
        if (event instanceof AccuracyReport a) {
            return CLOCK.format(a.getReportedAt()) + String.format(Locale.ROOT, " %s accuracy of %s v%d: %.3f over %d"
                    + " pairs%s", a.getKind().name().toLowerCase(Locale.ROOT).replace('_', '-'), a.getModelName(),
                    a.getModelVersion(), a.getAccuracy(), a.getPairs(), a.getConflictRate() == null ? ""
                    : String.format(Locale.ROOT, ", conflicting judgments %.1f %%", 100 * a.getConflictRate()));
        }
        if (event instanceof DriftAlert d) {
            return CLOCK.format(d.getDetectedAt()) + " DRIFT (" + d.getSeverity().name().toLowerCase(Locale.ROOT)
                    + ", " + d.getDetector() + "): " + d.getMessage();
        }
        if (event instanceof ReleaseRejected r) {
            return CLOCK.format(r.getRejectedAt()) + " " + r.getModelName() + " v" + r.getVersion()
                    + " not promoted (" + r.getStage().name().toLowerCase(Locale.ROOT).replace('_', ' ') + "): "
                    + r.getReason();
        }
        if (event instanceof ScoreStatistics s) {
            return CLOCK.format(s.getWindowEnd()) + String.format(Locale.ROOT, " rewards of %s v%d: %d scored, mean"
                    + " %.3f (normalised %.3f), std %.3f", s.getModelName(), s.getModelVersion(), s.getCount(),
                    s.getRewardMean(), s.getNormalizedMean(), s.getRewardStd());
        }
        return Instant.now().toString() + " " + event.getSchema().getName() + ": " + event;
    }

    /** A flat JSON object: {@code type} (the record's name), {@code time}, and the event's figures. */
    public static Map<String, Object> json(SpecificRecord event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", event.getSchema().getName());
        if (event instanceof ModelRelease r) {
            out.put("time", r.getCreatedAt().toString());
            out.put("model", r.getModelName());
            out.put("version", r.getVersion());
            out.put("status", r.getStatus().name());
            out.put("reason", r.getStatusReason());
            out.put("heldout_accuracy", r.getEvaluation().getAccuracy());
            out.put("live_accuracy", r.getEvaluation().getLiveAccuracy());
            out.put("log_loss", r.getEvaluation().getLogLoss());
            out.put("ece", r.getEvaluation().getEce());
            out.put("train_pairs", r.getTraining().getTrainPairs());
            out.put("heldout_pairs", r.getTraining().getHeldoutPairs());
            out.put("encoder", r.getEncoderIdentity().getName());
            return out;
        }
        // The other events are small: each field as it is, times as ISO-8601, enums by name.
        event.getSchema().getFields().forEach(field -> out.put(field.name(), plain(event.get(field.pos()))));
        Object time = event instanceof AccuracyReport a ? a.getReportedAt() : event instanceof DriftAlert d
                ? d.getDetectedAt() : event instanceof ReleaseRejected r ? r.getRejectedAt()
                : event instanceof ScoreStatistics s ? s.getWindowEnd() : null;
        if (time != null) {
            out.put("time", time.toString());
        }
        return out;
    }

    private static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return value.toString();
    }
}
