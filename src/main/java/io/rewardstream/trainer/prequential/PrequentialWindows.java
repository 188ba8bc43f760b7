package io.rewardstream.trainer.prequential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hopping windows over prequential outcomes (each pair scored by the live model before it is learned from),
 * by event time. A window [start, start + size) closes when a later outcome reaches its end; closed windows
 * are returned once, oldest first.
 */
public final class PrequentialWindows {

    /** The aggregate of one closed window. */
    public record Window(long start, long end, long pairs, long correct, double logLoss, double meanGap) {
        public double accuracy() {
            return pairs == 0 ? Double.NaN : (double) correct / pairs;
        }
    }

    private static final class Sums {
        long pairs;
        long correct;
        double logLoss;
        double gap;
    }

    private final long size;
    private final long advance;
    private final TreeMap<Long, Sums> open = new TreeMap<>();

    public PrequentialWindows(long sizeMs, long advanceMs) {
        if (sizeMs <= 0 || advanceMs <= 0 || advanceMs > sizeMs) {
            throw new IllegalArgumentException("need 0 < advance <= size, got size " + sizeMs + " advance " + advanceMs);
        }
        this.size = sizeMs;
        this.advance = advanceMs;
    }

    /**
     * Records one scored pair.
     *
     * @param gap         r_chosen - r_rejected by the live model
     * @param temperature the live model's calibration temperature, for the log loss
     * @return the windows this outcome closed
     */
    public List<Window> add(long timestamp, double gap, double temperature) {
        List<Window> closed = closeBefore(timestamp);
        long first = Math.floorDiv(timestamp - size, advance) * advance + advance;
        for (long start = Math.max(first, 0); start <= timestamp; start += advance) {
            if (start + size <= timestamp) {
                continue;
            }
            Sums sums = open.computeIfAbsent(start, s -> new Sums());
            sums.pairs++;
            sums.correct += gap > 0 ? 1 : 0;
            double x = -gap / temperature;
            sums.logLoss += x > 30 ? x : Math.log1p(Math.exp(x));
            sums.gap += gap;
        }
        return closed;
    }

    private List<Window> closeBefore(long timestamp) {
        List<Window> closed = new ArrayList<>();
        while (!open.isEmpty() && open.firstKey() + size <= timestamp) {
            Map.Entry<Long, Sums> entry = open.pollFirstEntry();
            Sums s = entry.getValue();
            closed.add(new Window(entry.getKey(), entry.getKey() + size, s.pairs, s.correct, s.logLoss / s.pairs,
                    s.gap / s.pairs));
        }
        return closed;
    }
}
