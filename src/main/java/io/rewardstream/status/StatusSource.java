package io.rewardstream.status;

import java.util.List;
import java.util.Map;

/**
 * What one role shows on its instance's status page: a card of facts, the plots it draws and, at each tick of the
 * board, the values of their series. With {@code run --role all} and in the demo both roles add theirs to one board.
 */
public interface StatusSource {

    /** The role's name, e.g. {@code trainer}. */
    String name();

    /** Whether the role is ready, and why not; shown in the page's header. */
    Readiness readiness();

    /** Titled groups of facts in words and plain numbers (the page formats numbers, never maps). */
    Map<String, Map<String, Object>> cards();

    /** The plots, each with its lines (a line may appear once its series has data). */
    List<Chart> charts();

    /** The series values now; {@code seconds} since the previous tick, for rates. Called on the board's thread. */
    Map<String, Double> sample(double seconds);

    /** Distributions drawn beside the plots (e.g. rewards per model version); none by default. */
    default List<Distribution> distributions() {
        return List.of();
    }

    /** @param reason why not, or null when ready */
    record Readiness(boolean ready, String reason) {

        public static Readiness yes() {
            return new Readiness(true, null);
        }

        public static Readiness no(String reason) {
            return new Readiness(false, reason);
        }
    }

    /**
     * A histogram per group (e.g. per model version) over the same buckets.
     *
     * @param id      stable identifier
     * @param title   heading
     * @param xLabel  what the buckets measure
     * @param bounds  the buckets' upper bounds, ascending; the last bucket is everything above the last bound
     * @param groups  each group's name, its count and the fraction of it in each bucket (bounds.size() + 1 values)
     */
    record Distribution(String id, String title, String xLabel, List<Double> bounds, List<Group> groups) {
    }

    /** One group of a {@link Distribution}. */
    record Group(String name, long count, List<Double> fractions) {
    }
}
