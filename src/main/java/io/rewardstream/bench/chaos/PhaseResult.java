package io.rewardstream.bench.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one chaos phase did and what came of it. {@code lost} and {@code doubled} are responses without a reward and
 * rewards beyond the first per response; the trainer's figures are -1 in phases without a trainer.
 *
 * @param faults         the faults injected (kills, restarts, outages)
 * @param sent           responses acknowledged by the broker
 * @param rewarded       distinct responses with a committed reward
 * @param doubled        committed rewards beyond the first per response
 * @param events         preference events acknowledged by the broker
 * @param pairsInStore   distinct pairs in the training store's changelog at the end
 * @param releases       releases published
 * @param repeatedVersions release versions published more than once
 * @param backwardVersions releases whose version was not above every earlier one
 * @param seconds        wall time of the phase
 * @param notes          what else was seen (a process that exited by itself, with its code)
 */
public record PhaseResult(String phase, int faults, int sent, int rewarded, int doubled, int events,
                          int pairsInStore, int releases, int repeatedVersions, int backwardVersions, double seconds,
                          String notes) {

    public int lost() {
        return sent - rewarded;
    }

    /** Pairs sent but missing from the store (each event is one pair); -1 without a trainer. */
    public int pairsLost() {
        return events < 0 ? -1 : events - pairsInStore;
    }

    /** Whether nothing was lost, doubled, repeated or reordered. */
    public boolean clean() {
        return lost() == 0 && doubled == 0 && (events < 0 || pairsLost() == 0) && repeatedVersions <= 0
                && backwardVersions <= 0;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", phase);
        m.put("faults", faults);
        m.put("responses_sent", sent);
        m.put("rewarded_once", rewarded);
        m.put("lost", lost());
        m.put("doubled", doubled);
        if (events >= 0) {
            m.put("events_sent", events);
            m.put("pairs_in_store", pairsInStore);
            m.put("pairs_lost", pairsLost());
            m.put("releases", releases);
            m.put("repeated_versions", repeatedVersions);
            m.put("backward_versions", backwardVersions);
        }
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("clean", clean());
        m.put("notes", notes);
        return m;
    }
}
