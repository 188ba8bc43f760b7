package io.rewardstream.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A Kafka Streams client's own metrics (its threads, tasks, stores, and the consumer, producer and admin clients
 * inside it) in a Micrometer registry, tagged with the role, and the consumer lag read straight from the client.
 * The client adds metrics as partitions are assigned; they are looked for every {@link #REFRESH}.
 */
public final class StreamsMeters implements AutoCloseable {

    static final Duration REFRESH = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics binder;
    private final ScheduledExecutorService refresher;

    private StreamsMeters(KafkaStreams streams, KafkaStreamsMetrics binder, ScheduledExecutorService refresher) {
        this.streams = streams;
        this.binder = binder;
        this.refresher = refresher;
    }

    /** Binds {@code streams}'s metrics to {@code registry} with the tag {@code role}. */
    public static StreamsMeters bind(KafkaStreams streams, MeterRegistry registry, String role) {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, role + "-streams-meters");
            thread.setDaemon(true);
            return thread;
        });
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams, List.of(Tag.of("role", role)), refresher,
                REFRESH);
        binder.bindTo(registry);
        return new StreamsMeters(streams, binder, refresher);
    }

    /** Records the client's consumers are behind on {@code topic}, summed over its partitions; 0 before any fetch. */
    public double lag(String topic) {
        return lag(streams.metrics(), topic);
    }

    static double lag(Map<MetricName, ? extends Metric> metrics, String topic) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && topic.equals(name.tags().get("topic")) && e.getValue().metricValue() instanceof Number n
                    && !Double.isNaN(n.doubleValue())) {
                sum += n.doubleValue();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        binder.close();
        refresher.shutdownNow();
    }
}
