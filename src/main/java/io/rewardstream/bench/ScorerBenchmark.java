package io.rewardstream.bench;

import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.avro.ScoredResponse;
import io.rewardstream.config.Connection;
import io.rewardstream.config.Topics;
import io.rewardstream.embedded.EmbeddedKafka;
import io.rewardstream.encoder.InputTensors;
import io.rewardstream.encoder.PaddedBatch;
import io.rewardstream.encoder.TextEncoder;
import io.rewardstream.encoder.TokenSequence;
import io.rewardstream.model.FeatureExtractor;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.stream.ScoringSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scorer figures in one run, on one model and one set of texts:
 * <ul>
 *   <li>raw: the model alone (tokenize, ONNX Runtime, pooling, head) on batches of the scorer's batch size;</li>
 *   <li>sorting: the encoder alone on the same batches, their sequences sorted by length before they are cut into
 *       encoder batches (as the scorer does) or cut in arrival order;</li>
 *   <li>pipeline: responses produced to the responses topic of an embedded broker, scored by a running scorer
 *       role (exactly-once), rewards read back with read_committed; items per second from the first send to the
 *       last reward;</li>
 *   <li>latency: per-response time from send to reward read back, at half the pipeline's rate;</li>
 *   <li>preparation: Avro decode, tokenize, lay out, pad and build the input tensors, no inference, on one
 *       thread (so per core).</li>
 * </ul>
 */
public final class ScorerBenchmark {

    /** Measured figures; rates in items (prompt, response) per second, latencies in milliseconds. */
    public record Result(int items, int batchSize, double rawPerSecond, double pipelinePerSecond,
                         double sortedPerSecond, double unsortedPerSecond, double latencyRatePerSecond,
                         double p50Millis, double p99Millis, double prepPerSecondPerCore, double meanTokens) {
        public double ratio() {
            return pipelinePerSecond / rawPerSecond;
        }
    }

    private ScorerBenchmark() {
    }

    /**
     * @param modelDir a model directory (the scorer loads it the way {@code run --model DIR} does)
     * @param items    the texts; scored in this order
     * @param workDir  an empty folder for the embedded broker and the scorer's state
     */
    public static Result run(Path modelDir, List<PromptResponse> items, ScorerSettings settings, Path workDir,
                             Consumer<String> progress) {
        double rawRate;
        double sorted;
        double unsorted;
        double prep;
        double meanTokens;
        try (RewardModel model = RewardModel.load(modelDir, settings.modelThreads(), settings.device())) {
            // A first pass over every text, untimed: ONNX Runtime sizes its memory arena for each new input shape.
            progress.accept("warm-up pass of the raw model");
            raw(model, items, settings.batchSize());
            progress.accept("preparation (decode, tokenize, tensors) on one thread");
            prep = preparation(model.extractor(), items, settings.batchSize());
            meanTokens = meanTokens(model.extractor(), items);
            progress.accept("raw model");
            rawRate = raw(model, items, settings.batchSize());
            progress.accept("encoder alone, batches sorted by length");
            sorted = encode(model.extractor(), items, settings.batchSize(), true);
            progress.accept("encoder alone, batches in arrival order");
            unsorted = encode(model.extractor(), items, settings.batchSize(), false);
        }
        String scope = "bench-scorer-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"))) {
            Topics topics = Topics.defaults();
            Connection connection = new Connection(kafka.bootstrapServers(), "mock://" + scope, topics,
                    workDir.resolve("state"), Map.of("replication.factor", 1), Map.of());
            ModelSource source = new ModelSource.Directory(modelDir);
            ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://" + scope);
            try (ScorerRole scorer = ScorerRole.start(settings, connection, source, true, 2);
                 KafkaProducer<String, RolloutResponse> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                         "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serdes.responses().serializer());
                 KafkaConsumer<String, ScoredResponse> consumer = rewardsConsumer(kafka, topics,
                         serdes.rewards().deserializer())) {
                progress.accept("pipeline warm-up (the scorer joins its group and loads the model)");
                drive(producer, consumer, topics, "warm", items.subList(0, Math.min(items.size(),
                        2 * settings.batchSize())), 0, null);
                progress.accept("pipeline at full speed through the broker");
                double pipeline = drive(producer, consumer, topics, "full", items, 0, null);
                double rate = pipeline / 2;
                int latencyItems = (int) Math.min(items.size(), Math.max(100, rate * 20));
                progress.accept(String.format(Locale.ROOT, "latency at %.1f items/s (half the pipeline"
                        + " rate), %d items", rate, latencyItems));
                double[] latencies = new double[latencyItems];
                drive(producer, consumer, topics, "half", items.subList(0, latencyItems), rate, latencies);
                Arrays.sort(latencies);
                return new Result(items.size(), settings.batchSize(), rawRate, pipeline, sorted, unsorted, rate,
                        percentile(latencies, 0.50), percentile(latencies, 0.99), prep, meanTokens);
            }
        } finally {
            MockRegistryScopes.drop(scope);
        }
    }

    private static double raw(RewardModel model, List<PromptResponse> items, int batchSize) {
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += batchSize) {
            model.score(items.subList(from, Math.min(items.size(), from + batchSize)));
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The encoder alone on the sequences of each scorer batch: sorted by length before they are cut into encoder
     * batches (as the scorer does), or cut in arrival order, so each encoder batch pads to its longest member.
     */
    private static double encode(FeatureExtractor extractor, List<PromptResponse> items, int batchSize,
                                 boolean sortByLength) {
        TextEncoder encoder = extractor.encoder();
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += batchSize) {
            List<TokenSequence> sequences = extractor.sequences(items.subList(from, Math.min(items.size(),
                    from + batchSize)));
            if (sortByLength) {
                encoder.embed(sequences);
            } else {
                slices(sequences, TextEncoder.DEFAULT_BATCH_SIZE).forEach(encoder::embedBatch);
            }
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static List<List<TokenSequence>> slices(List<TokenSequence> sequences, int size) {
        List<List<TokenSequence>> slices = new ArrayList<>();
        for (int from = 0; from < sequences.size(); from += size) {
            slices.add(sequences.subList(from, Math.min(sequences.size(), from + size)));
        }
        return slices;
    }

    /** Avro decode, tokenize and lay out, pad and build tensors, per scorer batch, on the calling thread. */
    private static double preparation(FeatureExtractor extractor, List<PromptResponse> items, int batchSize) {
        ScoringSerdes serdes = ScoringSerdes.forRegistry("mock://bench-prep-" + UUID.randomUUID());
        List<byte[]> frames = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            frames.add(serdes.responses().serializer().serialize("prep", response("prep-" + i, items.get(i))));
        }
        Deserializer<RolloutResponse> decoder = serdes.responses().deserializer();
        long start = System.nanoTime();
        for (int from = 0; from < frames.size(); from += batchSize) {
            List<PromptResponse> batch = new ArrayList<>(batchSize);
            for (byte[] frame : frames.subList(from, Math.min(frames.size(), from + batchSize))) {
                RolloutResponse r = decoder.deserialize("prep", frame);
                batch.add(new PromptResponse(r.getPrompt(), r.getResponse()));
            }
            List<TokenSequence> sequences = new ArrayList<>(extractor.sequences(batch));
            sequences.sort(Comparator.comparingInt(TokenSequence::length));
            for (List<TokenSequence> slice : slices(sequences, TextEncoder.DEFAULT_BATCH_SIZE)) {
                InputTensors.of(PaddedBatch.of(slice), extractor.encoder().takesTokenTypes()).close();
            }
        }
        return items.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double meanTokens(FeatureExtractor extractor, List<PromptResponse> items) {
        return extractor.sequences(items).stream().mapToInt(s -> s.length()).average().orElse(0);
    }

    /**
     * Produces {@code items} (all at once when {@code perSecond} is 0, else at that rate) and reads rewards until
     * every one has come back. Fills {@code latencies} (ms, by item) when given.
     *
     * @return items per second from the first send to the last reward read
     */
    private static double drive(KafkaProducer<String, RolloutResponse> producer,
                                KafkaConsumer<String, ScoredResponse> consumer, Topics topics, String prefix,
                                List<PromptResponse> items, double perSecond, double[] latencies) {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        ScheduledExecutorService pacer = null;
        if (perSecond <= 0) {
            for (int i = 0; i < items.size(); i++) {
                String id = prefix + "-" + i;
                sentAt.put(id, System.nanoTime());
                producer.send(new ProducerRecord<>(topics.responses(), id, response(id, items.get(i))));
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
                producer.send(new ProducerRecord<>(topics.responses(), id, response(id, items.get(i))));
                producer.flush();
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
        }
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long last = start;
        while (seen.size() < items.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen.size() + " of " + items.size() + " rewards came back");
            }
            for (ConsumerRecord<String, ScoredResponse> r : consumer.poll(Duration.ofMillis(200))) {
                long now = System.nanoTime();
                Long sent = sentAt.get(r.key());
                if (sent != null && seen.add(r.key())) {
                    last = now;
                    if (latencies != null) {
                        latencies[Integer.parseInt(r.key().substring(prefix.length() + 1))] = (now - sent) / 1e6;
                    }
                }
            }
        }
        if (pacer != null) {
            pacer.shutdownNow();
        }
        return items.size() / ((last - start) / 1e9);
    }

    private static RolloutResponse response(String id, PromptResponse item) {
        return RolloutResponse.newBuilder().setResponseId(id).setPrompt(item.prompt()).setResponse(item.response())
                .setCreatedAt(Instant.now()).build();
    }

    private static KafkaConsumer<String, ScoredResponse> rewardsConsumer(EmbeddedKafka kafka, Topics topics,
                                                                         Deserializer<ScoredResponse> values) {
        KafkaConsumer<String, ScoredResponse> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(topics.rewards()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
