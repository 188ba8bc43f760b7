package io.rewardstream.status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Samples of named values over time, the newest {@code capacity} kept: what the status page plots. A value missing
 * from a sample, or not a number, is a gap in its line. Thread-safe.
 */
public final class Timeline {

    /** One sample: a time in epoch milliseconds and the values taken then. */
    record Row(long time, Map<String, Double> values) {
    }

    /** The samples column by column: times, and each series' values aligned with them (null for a gap). */
    public record Columns(List<Long> time, Map<String, List<Double>> series) {
    }

    private final int capacity;
    private final Deque<Row> rows = new ArrayDeque<>();

    public Timeline(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a timeline keeps at least 2 samples, not " + capacity);
        }
        this.capacity = capacity;
    }

    public synchronized void append(long time, Map<String, Double> values) {
        rows.addLast(new Row(time, Map.copyOf(values)));
        while (rows.size() > capacity) {
            rows.removeFirst();
        }
    }

    public synchronized int size() {
        return rows.size();
    }

    public synchronized Columns columns() {
        List<Long> times = new ArrayList<>(rows.size());
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> {
            times.add(r.time());
            names.addAll(r.values().keySet());
        });
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String name : names) {
            List<Double> values = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Double v = r.values().get(name);
                values.add(v == null || v.isNaN() || v.isInfinite() ? null : v);
            }
            series.put(name, values);
        }
        return new Columns(times, series);
    }
}
