package io.rewardstream.bench.chaos;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces {@code total} records at about {@code perSecond}, on its own thread, with acks=all and idempotence, so
 * that a broker restart neither loses nor doubles one of them: what rollout workers and annotation systems do.
 */
final class Feed<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);

    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread thread;

    /** @param record the i-th record (0-based) */
    Feed(String name, String bootstrap, Serializer<V> values, int total, double perSecond,
         IntFunction<ProducerRecord<String, V>> record) {
        this.thread = new Thread(() -> {
            try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000), new StringSerializer(), values)) {
                // The topic's metadata first, so that the first batch goes to a known leader.
                producer.partitionsFor(record.apply(0).topic());
                long start = System.nanoTime();
                for (int i = 0; i < total && !stopped.get(); i++) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    producer.send(record.apply(i), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            LOG.warn("{}: a record was not acknowledged: {}", name, error.toString());
                        }
                    });
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chaos-feed-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Records the broker has acknowledged so far. */
    int acknowledged() {
        return acknowledged.get();
    }

    int failed() {
        return failed.get();
    }

    boolean done() {
        return !thread.isAlive();
    }

    void await() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() throws InterruptedException {
        stopped.set(true);
        thread.join(60_000);
    }
}
