package io.rewardstream.bench;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.embedded.EmbeddedKafka;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.lifecycle.StartupRetry;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.telemetry.Telemetry;
import io.rewardstream.trainer.TrainerRole;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A long run of both roles at a steady load, to see whether anything grows that should not: an embedded broker, the
 * trainer and the scorer in this JVM (as {@code run --role all} runs them), a rollout feed at half the rate the scorer
 * reached flat out in a calibration burst, and a slow preference feed so that the trainer keeps retraining. At each
 * interval it records the heap after a full collection, the p50 and p99 of the time from a response's creation to its
 * reward being read (read_committed), and the scorer's consumer lag.
 */
public final class SoakBenchmark {

    /** One interval's figures. */
    public record Sample(Duration at, long rewards, double ratePerSecond, double p50Millis, double p99Millis,
                         long lag, long heapAfterGcBytes) {
    }

    /** The calibration and every interval. */
    public record Result(double maxRatePerSecond, double targetRatePerSecond, List<Sample> samples) {
    }

    private SoakBenchmark() {
    }

    /**
     * @param model      the model directory the scorer serves
     * @param work       an empty folder for the broker and the roles' state
     * @param each       told each sample as it is taken
     */
    public static Result run(Path model, Duration duration, Duration interval, int calibrationItems, Path work,
                             Consumer<String> progress, Consumer<Sample> each) throws Exception {
        String scope = "soak-" + UUID.randomUUID();
        String registryUrl = "mock://" + scope;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"));
             Telemetry telemetry = new Telemetry("RewardStream soak")) {
            RewardStreamConfig config = ConfigLoader.load(null, Map.of(), overrides(kafka, registryUrl, work));
            List<AutoCloseable> roles = new ArrayList<>();
            try {
                TrainerRole trainer = TrainerRole.create(config, true, new Health(), StartupRetry.defaults(),
                        telemetry);
                roles.add(trainer);
                trainer.start();
                ScorerRole scorer = ScorerRole.start(ScorerConfig.settings(config, 0), ScorerConfig.connection(config),
                        new ModelSource.Directory(model), true, config.createPartitions(), telemetry);
                roles.add(scorer);
                ScoringSerdes scoring = ScoringSerdes.forRegistry(registryUrl);
                TrainerSerdes training = TrainerSerdes.of(SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL,
                        registryUrl)), AvroSerdeConfig.defaults());
                try (Latencies latencies = new Latencies(kafka.bootstrapServers(), config.topics().rewards(), scoring);
                     KafkaProducer<String, RolloutResponse> responses = producer(kafka, scoring);
                     KafkaProducer<String, PreferenceEvent> events = new KafkaProducer<>(producerProps(kafka),
                             new StringSerializer(), training.preferences().serializer())) {
                    progress.accept("calibrating: " + calibrationItems + " responses as fast as they are taken");
                    double max = calibrate(responses, latencies, config.topics().responses(), calibrationItems);
                    double target = max / 2;
                    progress.accept(String.format(java.util.Locale.ROOT, "flat out %.1f responses/s; soaking at"
                            + " %.1f/s for %s, a sample every %s", max, target, duration, interval));
                    List<Sample> samples = soak(responses, events, latencies, config, target, duration, interval,
                            kafka.bootstrapServers(), scorer.applicationId(), each);
                    return new Result(max, target, samples);
                }
            } finally {
                for (int i = roles.size() - 1; i >= 0; i--) {
                    roles.get(i).close();
                }
                MockRegistryScopes.drop(scope);
            }
        }
    }

    private static Map<String, String> overrides(EmbeddedKafka kafka, String registryUrl, Path work) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(ConfigLoader.KAFKA_PREFIX + "bootstrap.servers", kafka.bootstrapServers());
        o.put(ConfigLoader.KAFKA_PREFIX + "replication.factor", "1");
        o.put("schema.registry.url", registryUrl);
        o.put("state.dir", work.resolve("state").toString());
        o.put("topics.partitions", "2");
        o.put("training.interval", "30s");
        o.put("training.min-pairs", "500");
        o.put("training.min-new-pairs", "200");
        o.put("scoring.device", "cpu");
        o.put("http.port", "0");
        return o;
    }

    private static Map<String, Object> producerProps(EmbeddedKafka kafka) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                "all", ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    private static KafkaProducer<String, RolloutResponse> producer(EmbeddedKafka kafka, ScoringSerdes serdes) {
        return new KafkaProducer<>(producerProps(kafka), new StringSerializer(), serdes.responses().serializer());
    }

    private static ProducerRecord<String, RolloutResponse> response(String topic, String id, long i) {
        return new ProducerRecord<>(topic, id, RolloutResponse.newBuilder().setResponseId(id)
                .setPrompt("Question " + (i % 211) + ": how should I answer a customer who is upset?")
                .setResponse("Answer " + i + ": listen first, say what you will do, then do it and follow up.")
                .setCreatedAt(Instant.now()).build());
    }

    /** Sends {@code items} at once and returns the rate at which their rewards came back. */
    private static double calibrate(KafkaProducer<String, RolloutResponse> producer, Latencies latencies,
                                    String topic, int items) throws InterruptedException {
        long before = latencies.count();
        long start = System.nanoTime();
        for (int i = 0; i < items; i++) {
            producer.send(response(topic, "calibrate-" + i, i));
        }
        producer.flush();
        while (latencies.count() - before < items) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        latencies.drain();
        return items / ((System.nanoTime() - start) / 1e9);
    }

    private static List<Sample> soak(KafkaProducer<String, RolloutResponse> responses,
                                     KafkaProducer<String, PreferenceEvent> events, Latencies latencies,
                                     RewardStreamConfig config, double rate, Duration duration, Duration interval,
                                     String bootstrap, String scorerGroup, Consumer<Sample> each) throws Exception {
        List<Sample> samples = new ArrayList<>();
        SyntheticPreferences generator = new SyntheticPreferences(17, 0.1);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long nextSample = start + interval.toNanos();
        long sent = 0;
        long lastCount = latencies.count();
        long lastSampleAt = start;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < end) {
                long due = start + (long) (sent * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)));
                }
                if (System.nanoTime() >= due) {
                    responses.send(response(config.topics().responses(), "soak-" + sent, sent));
                    // A preference event for every 25 responses keeps the trainer encoding and retraining.
                    if (sent % 25 == 0) {
                        PreferencePair p = generator.next();
                        String id = "soak-event-" + sent;
                        events.send(new ProducerRecord<>(config.topics().preferences(), id, PreferenceEvent
                                .newBuilder().setEventId(id).setPrompt(p.prompt())
                                .setResponses(List.of(p.chosen(), p.rejected())).setRanking(List.of(0, 1))
                                .setEventTime(Instant.now()).build()));
                    }
                    sent++;
                }
                long now = System.nanoTime();
                if (now >= nextSample) {
                    long count = latencies.count();
                    double[] pct = latencies.drain();
                    Sample s = new Sample(Duration.ofNanos(now - start), count, (count - lastCount)
                            / ((now - lastSampleAt) / 1e9), pct[0], pct[1], lag(admin, scorerGroup,
                            config.topics().responses()), heapAfterGc());
                    samples.add(s);
                    each.accept(s);
                    lastCount = count;
                    lastSampleAt = now;
                    nextSample += interval.toNanos();
                }
            }
        }
        return samples;
    }

    /** The heap in use right after a full collection: what the process holds on to. */
    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Records not yet consumed (committed) by the scorer's group on its input topic. */
    private static long lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        committed.keySet().stream().filter(tp -> tp.topic().equals(topic))
                .forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : ends.entrySet()) {
            var c = committed.get(e.getKey());
            lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    /** Reads the rewards (read_committed) and keeps the latency of each since the last {@link #drain}. */
    private static final class Latencies implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Long> window = new ArrayList<>();
        private long count;
        private final Thread thread;

        Latencies(String bootstrap, String topic, ScoringSerdes serdes) {
            thread = new Thread(() -> {
                try (KafkaConsumer<String, ScoredResponse> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, "soak-" + UUID.randomUUID(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                        serdes.rewards().deserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (running.get()) {
                        for (var r : consumer.poll(Duration.ofMillis(100))) {
                            long millis = System.currentTimeMillis() - r.value().getCreatedAt().toEpochMilli();
                            synchronized (this) {
                                window.add(millis);
                                count++;
                            }
                        }
                    }
                }
            }, "soak-rewards");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized long count() {
            return count;
        }

        /** p50 and p99 of the latencies since the last drain, in milliseconds; NaN when there were none. */
        synchronized double[] drain() {
            List<Long> sorted = new ArrayList<>(window);
            window.clear();
            sorted.sort(Long::compare);
            if (sorted.isEmpty()) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {sorted.get((int) Math.floor(0.50 * (sorted.size() - 1))),
                sorted.get((int) Math.floor(0.99 * (sorted.size() - 1)))};
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
