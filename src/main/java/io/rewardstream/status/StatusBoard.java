package io.rewardstream.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data behind an instance's status page: the roles' {@link StatusSource}s, sampled every {@code interval} into a
 * {@link Timeline} (an hour at the default 5 s), and the {@link EventLog}. Its views are the page's JSON documents
 * ({@link StatusRoutes} serves them); each is built from plain maps and lists, so the page never sees a Java object.
 */
public final class StatusBoard implements AutoCloseable {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final int SAMPLES = 720;
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);

    private final String title;
    private final Duration interval;
    private final LongSupplier clock;
    private final List<StatusSource> sources = new CopyOnWriteArrayList<>();
    private final Timeline timeline = new Timeline(SAMPLES);
    private final EventLog events = new EventLog();
    private final long startedAt;
    private ScheduledExecutorService sampler;
    private long lastSample;

    /** A board for a page titled {@code title}, sampling every {@code interval}; {@link #start} starts sampling. */
    public StatusBoard(String title, Duration interval, LongSupplier clock) {
        this.title = title;
        this.interval = interval;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    public StatusBoard(String title) {
        this(title, DEFAULT_INTERVAL, System::currentTimeMillis);
    }

    /** Samples every interval on a daemon thread, from now on. */
    public synchronized StatusBoard start() {
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "status-sampler");
                thread.setDaemon(true);
                return thread;
            });
            sampler.scheduleAtFixedRate(this::sampleSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public void add(StatusSource source) {
        sources.add(source);
    }

    public EventLog events() {
        return events;
    }

    public String title() {
        return title;
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warn("Status sample failed", e);
        }
    }

    /** Takes one sample of every source now (the sampler does this every interval). */
    public synchronized void sample() {
        long now = clock.getAsLong();
        double seconds = lastSample == 0 ? Double.NaN : (now - lastSample) / 1000.0;
        lastSample = now;
        Map<String, Double> row = new LinkedHashMap<>();
        for (StatusSource source : sources) {
            source.sample(seconds).forEach((key, value) -> row.put(source.name() + "." + key, value));
        }
        timeline.append(now, row);
    }

    /** {@code /api/status}: the instance, its readiness and each role's cards. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("title", title);
        out.put("now", Instant.ofEpochMilli(clock.getAsLong()).toString());
        out.put("started_at", Instant.ofEpochMilli(startedAt).toString());
        out.put("uptime_seconds", (clock.getAsLong() - startedAt) / 1000);
        List<Map<String, Object>> roles = new ArrayList<>();
        boolean ready = !sources.isEmpty();
        for (StatusSource source : sources) {
            StatusSource.Readiness readiness = source.readiness();
            ready &= readiness.ready();
            Map<String, Object> role = new LinkedHashMap<>();
            role.put("name", source.name());
            role.put("ready", readiness.ready());
            role.put("not_ready_reason", readiness.reason());
            role.put("cards", source.cards());
            roles.add(role);
        }
        out.put("ready", ready);
        out.put("roles", roles);
        return out;
    }

    /** {@code /api/series}: sample times and, per chart, the lines that have data. */
    public Map<String, Object> series() {
        Timeline.Columns columns = timeline.columns();
        List<Map<String, Object>> charts = new ArrayList<>();
        for (StatusSource source : sources) {
            for (Chart chart : source.charts()) {
                List<Map<String, Object>> lines = new ArrayList<>();
                for (Chart.Line line : chart.lines()) {
                    List<Double> values = columns.series().get(source.name() + "." + line.series());
                    if (values != null) {
                        lines.add(Map.of("label", line.label(), "values", values));
                    }
                }
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", chart.id());
                c.put("role", source.name());
                c.put("title", chart.title());
                c.put("unit", chart.unit());
                c.put("events", chart.events());
                c.put("lines", lines);
                charts.add(c);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interval_seconds", interval.toMillis() / 1000.0);
        out.put("time", columns.time());
        out.put("charts", charts);
        return out;
    }

    /** {@code /api/events}: what happened, oldest first. */
    public Map<String, Object> eventList() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (StatusEvent e : events.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", e.time());
            m.put("kind", e.kind());
            m.put("title", e.title());
            m.put("detail", e.detail());
            list.add(m);
        }
        return Map.of("events", list);
    }

    /** {@code /api/distributions}: histograms such as the rewards per model version. */
    public Map<String, Object> distributions() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (StatusSource source : sources) {
            for (StatusSource.Distribution d : source.distributions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", d.id());
                m.put("role", source.name());
                m.put("title", d.title());
                m.put("x_label", d.xLabel());
                m.put("bounds", d.bounds());
                List<Map<String, Object>> groups = new ArrayList<>();
                d.groups().forEach(g -> groups.add(Map.of("name", g.name(), "count", g.count(),
                        "fractions", g.fractions())));
                m.put("groups", groups);
                list.add(m);
            }
        }
        return Map.of("distributions", list);
    }

    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
