package io.rewardstream.data;

/**
 * One human judgment: {@code chosen} was preferred to {@code rejected} as a reply to {@code prompt}.
 *
 * @param margin preference strength, or NaN when none was given
 */
public record PreferencePair(String prompt, String chosen, String rejected, double margin) {

    public boolean hasMargin() {
        return !Double.isNaN(margin);
    }
}
