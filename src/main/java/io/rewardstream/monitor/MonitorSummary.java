package io.rewardstream.monitor;

import io.rewardstream.avro.AccuracyKind;
import io.rewardstream.avro.AccuracyReport;
import io.rewardstream.avro.DriftAlert;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.avro.ReleaseRejected;
import io.rewardstream.avro.ReleaseStatus;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/** What {@code monitor} has seen so far, as the one summary line it prints every few seconds. */
public final class MonitorSummary {

    private final TreeSet<Long> versions = new TreeSet<>();
    private ModelRelease live;
    private AccuracyReport prequential;
    private long driftAlerts;
    private long rejections;
    private long events;
    private String lastDrift;

    public synchronized void add(SpecificRecord event) {
        events++;
        if (event instanceof ModelRelease r) {
            versions.add(r.getVersion());
            if (r.getStatus() == ReleaseStatus.PROMOTED && (live == null || r.getVersion() >= live.getVersion())) {
                live = r;
            }
        } else if (event instanceof AccuracyReport a && a.getKind() == AccuracyKind.PREQUENTIAL) {
            prequential = a;
        } else if (event instanceof DriftAlert d) {
            driftAlerts++;
            lastDrift = d.getMessage();
        } else if (event instanceof ReleaseRejected) {
            rejections++;
        }
    }

    public synchronized long events() {
        return events;
    }

    /** E.g. {@code live model v3 (held-out 0.91) | prequential 0.88 over 120 pairs | drift alerts 1 | ...}. */
    public synchronized String line() {
        StringBuilder out = new StringBuilder();
        out.append(live == null ? "live model: none yet" : String.format(Locale.ROOT, "live model %s v%d (held-out"
                + " accuracy %.3f)", live.getModelName(), live.getVersion(), live.getEvaluation().getAccuracy()));
        out.append(prequential == null ? " | prequential accuracy: no window yet" : String.format(Locale.ROOT,
                " | prequential accuracy %.3f over %d pairs", prequential.getAccuracy(), prequential.getPairs()));
        out.append(" | drift alerts ").append(driftAlerts);
        out.append(" | not promoted ").append(rejections);
        out.append(" | versions seen ").append(versions.isEmpty() ? "none" : versions.size() <= 6
                ? versions.stream().map(v -> "v" + v).reduce((a, b) -> a + " " + b).orElse("")
                : "v" + versions.first() + " to v" + versions.last());
        if (lastDrift != null) {
            out.append(" | last drift: ").append(lastDrift);
        }
        return out.toString();
    }
}
