package io.rewardstream.bench;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.embedded.EmbeddedKafka;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.stream.ScoringSerdes;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One scorer role serving a model directory on an embedded KRaft broker in this process, with a producer of
 * responses and a read_committed consumer of rewards: the whole path a rollout takes, exactly-once included.
 */
final class PipelineRun implements AutoCloseable {

    private static final int PARTITIONS = 2;

    private final String scope;
    private final EmbeddedKafka kafka;
    private final Topics topics = Topics.defaults();
    private final ScorerRole scorer;
    private final KafkaProducer<String, RolloutResponse> producer;
    private final KafkaConsumer<String, ScoredResponse> consumer;

    private PipelineRun(String scope, EmbeddedKafka kafka, ScorerRole scorer,
                        KafkaProducer<String, RolloutResponse> producer,
                        KafkaConsumer<String, ScoredResponse> consumer) {
        this.scope = scope;
        this.kafka = kafka;
        this.scorer = scorer;
        this.producer = producer;
        this.consumer = consumer;
    }

    /**
     * Starts a broker in {@code workDir} and a scorer serving {@code modelDir} on {@code streamThreads} Kafka Streams
     * threads; closes what it started on failure.
     */
    static PipelineRun start(Path modelDir, ScorerSettings settings, int streamThreads, Path workDir) {
        String scope = "bench-scorer-" + UUID.randomUUID();
        EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"));
        ScorerRole scorer = null;
        try {
            Topics topics = Topics.defaults();
            Map<String, Object> kafkaSettings = Map.of("replication.factor", 1,
                    StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
            Connection connection = new Connection(kafka.bootstrapServers(), "mock://" + scope, topics,
                    workDir.resolve("state"), kafkaSettings, Map.of());
            ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://" + scope);
            scorer = ScorerRole.start(settings, connection, new ModelSource.Directory(modelDir), true, PARTITIONS);
            KafkaProducer<String, RolloutResponse> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                    "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serdes.responses().serializer());
            KafkaConsumer<String, ScoredResponse> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    serdes.rewards().deserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topics.rewards()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return new PipelineRun(scope, kafka, scorer, producer, consumer);
        } catch (RuntimeException e) {
            if (scorer != null) {
                scorer.close();
            }
            kafka.close();
            MockRegistryScopes.drop(scope);
            throw e;
        }
    }

    /** Produces every item at once and reads every reward back. */
    ScorerBenchmark.Throughput full(List<PromptResponse> items, String prefix) {
        long cpuBefore = processCpuNanos();
        StreamThreadCounters before = StreamThreadCounters.now();
        double rate = drive(items, prefix, 0, null, null);
        long cpu = processCpuNanos() - cpuBefore;
        StreamThreadCounters after = StreamThreadCounters.now();
        return new ScorerBenchmark.Throughput(rate, cpu / 1e9 / items.size(),
                after.itemsPerCommitSince(before, items.size()), after.commitMillisMean());
    }

    /** Produces the items at {@code perSecond}, one at a time, and measures each response's latency. */
    ScorerBenchmark.Latency paced(List<PromptResponse> items, String prefix, double perSecond) {
        double[] latencies = new double[items.size()];
        double[] beforeBatch = new double[items.size()];
        StreamThreadCounters before = StreamThreadCounters.now();
        drive(items, prefix, perSecond, latencies, beforeBatch);
        double itemsPerCommit = StreamThreadCounters.now().itemsPerCommitSince(before, items.size());
        double[] fromBatch = new double[items.size()];
        for (int i = 0; i < fromBatch.length; i++) {
            fromBatch[i] = latencies[i] - beforeBatch[i];
        }
        Arrays.sort(latencies);
        Arrays.sort(beforeBatch);
        Arrays.sort(fromBatch);
        return new ScorerBenchmark.Latency(perSecond, items.size(), percentile(latencies, 0.50),
                percentile(latencies, 0.99), percentile(beforeBatch, 0.99), percentile(fromBatch, 0.99),
                Double.NaN, Double.NaN, itemsPerCommit);
    }

    /**
     * Produces {@code items} (all at once when {@code perSecond} is 0, else at that rate) and reads rewards until
     * every one has come back. Fills {@code latencies} (ms, by item) when given, and {@code beforeBatch}: the part of
     * each latency up to the start of the batch that scored it (the reward's scored_at, which the scorer takes from
     * Kafka Streams' clock when the batch starts; millisecond resolution).
     *
     * @return items per second from the first send to the last reward read
     */
    private double drive(List<PromptResponse> items, String prefix, double perSecond, double[] latencies,
                         double[] beforeBatch) {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        ScheduledExecutorService pacer = null;
        if (perSecond <= 0) {
            for (int i = 0; i < items.size(); i++) {
                String id = prefix + "-" + i;
                sentAt.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>(topics.responses(), id, ModelRates.response(id, items.get(i))));
            }
            producer.flush();
        } else {
            pacer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger next = new AtomicInteger();
            long periodNanos = (long) (1e9 / perSecond);
            ScheduledExecutorService p = pacer;
            pacer.scheduleAtFixedRate(() -> {
                int i = next.getAndIncrement();
                if (i >= items.size()) {
                    p.shutdown();
                    return;
                }
                String id = prefix + "-" + i;
                sentAt.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>(topics.responses(), id, ModelRates.response(id, items.get(i))));
                producer.flush();
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
        }
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long last = start;
        try {
            while (seen.size() < items.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen.size() + " of " + items.size()
                            + " rewards came back");
                }
                for (ConsumerRecord<String, ScoredResponse> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    Long sent = sentAt.get(r.key());
                    if (sent != null && seen.add(r.key())) {
                        last = now;
                        int index = Integer.parseInt(r.key().substring(prefix.length() + 1));
                        if (latencies != null) {
                            latencies[index] = (now - sent) / 1e6;
                        }
                        if (beforeBatch != null) {
                            double sentMillis = startMillis + (sent - start) / 1e6;
                            beforeBatch[index] = Math.max(0, r.value().getScoredAt().toEpochMilli() - sentMillis);
                        }
                    }
                }
            }
        } finally {
            if (pacer != null) {
                pacer.shutdownNow();
            }
        }
        return items.size() / ((last - start) / 1e9);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public void close() {
        consumer.close();
        producer.close();
        scorer.close();
        kafka.close();
        MockRegistryScopes.drop(scope);
    }
}
