package io.rewardstream.trainer.stream;

import io.rewardstream.avro.PreferenceEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Says what is wrong with a preference event, or nothing when it can be learned from. */
public final class EventValidator {

    private EventValidator() {
    }

    /** @return the reason the event is invalid, or null when it is valid */
    public static String problem(PreferenceEvent event, EventLimits limits) {
        if (event.getEventId() == null || event.getEventId().isBlank()) {
            return "empty event_id";
        }
        if (event.getPrompt() == null || event.getPrompt().isBlank()) {
            return "empty prompt";
        }
        String prompt = limits.texts().problem("prompt", event.getPrompt()).orElse(null);
        if (prompt != null) {
            return prompt;
        }
        List<String> responses = event.getResponses();
        if (responses == null || responses.size() < 2) {
            return "fewer than two responses";
        }
        for (int i = 0; i < responses.size(); i++) {
            if (responses.get(i) == null || responses.get(i).isBlank()) {
                return "empty response at index " + i;
            }
            String text = limits.texts().problem("response " + i, responses.get(i)).orElse(null);
            if (text != null) {
                return text;
            }
        }
        String ranking = rankingProblem(event.getRanking(), responses.size());
        if (ranking != null) {
            return ranking;
        }
        long pairs = pairCount(responses.size(), event.getRanking().size());
        if (pairs > limits.maxPairs()) {
            return String.format(Locale.ROOT, "a ranking of %d of %d responses expands into %,d pairs; the limit is"
                    + " %,d (%s)", event.getRanking().size(), responses.size(), pairs, limits.maxPairs(),
                    limits.maxPairsKey());
        }
        for (int[] pair : RankingExpansion.pairs(responses.size(), event.getRanking())) {
            if (responses.get(pair[0]).equals(responses.get(pair[1]))) {
                return "identical responses in one pair (indices " + pair[0] + " and " + pair[1] + ")";
            }
        }
        Double strength = event.getStrength();
        if (strength != null && !(strength > 0 && strength <= 1)) {
            return "strength " + strength + " outside (0, 1]";
        }
        return null;
    }

    /**
     * Pairs {@link RankingExpansion} makes of a valid ranking of {@code ranked} indices over {@code responses}: each
     * ranked response beats those ranked after it and every unranked one.
     */
    static long pairCount(int responses, int ranked) {
        long r = ranked;
        return r * (r - 1) / 2 + r * (responses - r);
    }

    private static String rankingProblem(List<Integer> ranking, int responses) {
        if (ranking == null || ranking.isEmpty()) {
            return "empty ranking";
        }
        if (ranking.size() > responses) {
            return "ranking has " + ranking.size() + " entries for " + responses + " responses";
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer index : ranking) {
            if (index == null || index < 0 || index >= responses) {
                return "ranking index " + index + " out of range [0, " + responses + ")";
            }
            if (!seen.add(index)) {
                return "ranking index " + index + " repeated";
            }
        }
        return null;
    }
}
