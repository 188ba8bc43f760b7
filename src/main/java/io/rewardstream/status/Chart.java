package io.rewardstream.status;

import java.util.Collection;
import java.util.List;

/**
 * A plot of the status page: lines drawn from the timeline's series.
 *
 * @param id     stable identifier, used in the page and its tests
 * @param title  heading shown above the plot
 * @param unit   what the y axis counts, in words (e.g. {@code records/s}, {@code ms})
 * @param events whether promotions, rejections and drift alerts are marked on it
 * @param lines  the series drawn
 */
public record Chart(String id, String title, String unit, boolean events, List<Line> lines) {

    /** Dead letters written so far, one line per stage, reading the series {@link #deadLetterSeries}. */
    public static Chart deadLetters(String id, String title, Collection<String> stages) {
        return new Chart(id, title, "records in all", false,
                stages.stream().map(stage -> new Line(deadLetterSeries(stage), stage)).toList());
    }

    /** The timeline series a status source samples one stage's dead-letter count into: {@code dead_letters.<stage>}. */
    public static String deadLetterSeries(String stage) {
        return "dead_letters." + stage;
    }

    /** One line: a timeline series and its legend. */
    public record Line(String series, String label) {
    }
}
