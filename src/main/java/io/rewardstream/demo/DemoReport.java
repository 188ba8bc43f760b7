package io.rewardstream.demo;

import io.rewardstream.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's text: its progress lines, the status page's "Demo" table, and the closing summary. */
final class DemoReport {

    private final int minPairs;

    /** @param minPairs pairs before the first model (named while no model exists yet) */
    DemoReport(int minPairs) {
        this.minPairs = minPairs;
    }

    /** The line printed every report interval. */
    String progress(Annotator annotator, DemoObserver.Snapshot s, double rewardsPerSecond) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "preferences sent %d", annotator.sent()));
        if (s.latestVersion() < 0) {
            line.append(" | model: none yet (first after ").append(minPairs).append(" pairs)");
        } else {
            line.append(String.format(Locale.ROOT, " | model v%d, held-out accuracy %.3f", s.latestVersion(),
                    s.latestAccuracy()));
        }
        if (s.prequentialPairs() > 0) {
            line.append(String.format(Locale.ROOT, " | prequential accuracy %.3f (%d pairs)", s.prequential(),
                    s.prequentialPairs()));
        }
        line.append(String.format(Locale.ROOT, " | rewards %.1f/s (%d in all)", rewardsPerSecond, s.rewards()));
        if (!Double.isNaN(s.goodMean()) && !Double.isNaN(s.badMean())) {
            line.append(String.format(Locale.ROOT, " | mean reward good %+.2f, bad %+.2f", s.goodMean(), s.badMean()));
        }
        line.append(" | dead letters ").append(s.deadLetters());
        return line.toString();
    }

    /** The "Demo" table of the status page. */
    Map<String, Object> statusFacts(long start, Annotator annotator, RolloutWorker worker, DemoObserver observer) {
        DemoObserver.Snapshot s = observer.snapshot();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("running for", Durations.format(Duration.ofSeconds((System.nanoTime() - start) / 1_000_000_000L)));
        facts.put("preference events sent", annotator.sent());
        facts.put("of them malformed on purpose", annotator.invalid());
        facts.put("annotators reversed (--flip-after)", annotator.flipped());
        facts.put("models promoted", s.promotions());
        facts.put("candidates not promoted", s.rejections());
        facts.put("newest model", s.latestVersion() < 0 ? "none yet" : "v" + s.latestVersion()
                + String.format(Locale.ROOT, " (held-out accuracy %.3f)", s.latestAccuracy()));
        facts.put("prequential accuracy", s.prequentialPairs() == 0 ? "no window yet"
                : String.format(Locale.ROOT, "%.3f over %d pairs", s.prequential(), s.prequentialPairs()));
        facts.put("drift alerts", s.driftAlerts());
        facts.put("rollouts sent", worker.sent());
        facts.put("rewards read back", s.rewards());
        facts.put("rewards by model version", byVersion(s.rewardsByVersion()));
        facts.put("mean normalised reward, good / bad rollouts", Double.isNaN(s.goodMean()) ? "n/a"
                : String.format(Locale.ROOT, "%+.3f / %+.3f (v%d)", s.goodMean(), s.badMean(), s.kindVersion()));
        facts.put("dead letters", s.deadLetters());
        if (s.lastDeadLetter() != null) {
            facts.put("last dead letter", s.lastDeadLetter());
        }
        return facts;
    }

    /** {@code v19: 226, v18: 575, ...}: the newest five versions first, then how many more. */
    static String byVersion(Map<Long, Long> rewards) {
        if (rewards.isEmpty()) {
            return "none yet";
        }
        List<Long> versions = new ArrayList<>(rewards.keySet());
        versions.sort(Comparator.reverseOrder());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(5, versions.size()); i++) {
            out.append(i == 0 ? "" : ", ").append('v').append(versions.get(i)).append(": ")
                    .append(String.format(Locale.ROOT, "%,d", rewards.get(versions.get(i))));
        }
        if (versions.size() > 5) {
            out.append(" and ").append(versions.size() - 5).append(" older versions");
        }
        return out.toString();
    }

    /** The last line, once the demo ends. */
    static String summary(Duration elapsed, Annotator annotator, RolloutWorker worker, DemoObserver.Snapshot s,
                          boolean byUser) {
        return String.format(Locale.ROOT, "demo %s after %s: %d preference events sent (%d malformed, %d dead letters),"
                        + " %d model version(s) promoted%s, %d drift alert(s), %d of %d rollouts scored",
                byUser ? "stopped" : "finished", Durations.format(Duration.ofSeconds(elapsed.toSeconds())),
                annotator.sent(), annotator.invalid(), s.deadLetters(), s.promotions(),
                s.latestVersion() < 0 ? "" : String.format(Locale.ROOT, " (newest v%d, held-out accuracy %.3f)",
                        s.latestVersion(), s.latestAccuracy()), s.driftAlerts(), s.rewards(), worker.sent());
    }
}
