package io.rewardstream.demo;

import io.rewardstream.avro.PreferenceEvent;
import io.rewardstream.avro.RolloutResponse;
import io.rewardstream.common.BadInputException;
import io.rewardstream.common.Closeables;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.Durations;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.embedded.EmbeddedKafka;
import io.rewardstream.registry.MockRegistryScopes;
import io.rewardstream.registry.RegistryClientConfig;
import io.rewardstream.registry.SchemaRegistryClient;
import io.rewardstream.registry.SchemaRegistryClients;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.ScorerRole;
import io.rewardstream.scorer.ScorerSettings;
import io.rewardstream.scorer.stream.ScoringSerdes;
import io.rewardstream.serde.AvroSerdeConfig;
import io.rewardstream.synthetic.SyntheticPreferences;
import io.rewardstream.trainer.TrainerConfig;
import io.rewardstream.lifecycle.Health;
import io.rewardstream.lifecycle.StartupRetry;
import io.rewardstream.telemetry.Telemetry;
import io.rewardstream.trainer.TrainerRole;
import io.rewardstream.trainer.stream.TrainerSerdes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process, for a first look: an embedded KRaft broker, an in-memory schema registry, the
 * trainer and scorer roles exactly as {@code run --role all} runs them, a synthetic annotator publishing
 * preference events (or a replay of a pair file), a synthetic rollout worker, and a monitoring consumer whose
 * figures are printed as the demo goes and shown on the scorer's status page.
 */
public final class StreamingDemo {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingDemo.class);
    private static final String STOP = "\u0000stop";

    private final DemoSettings settings;
    private final PrintWriter out;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;

    /** How a run ended. */
    public record Outcome(boolean stoppedByUser, long preferencesSent, int promotions, int rejections, long rewards,
                          Duration elapsed) {
    }

    public StreamingDemo(DemoSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Asks a running demo to stop (as Ctrl-C does); {@link #run} then shuts everything down and returns. */
    public void requestStop() {
        stopRequested = true;
        events.offer(STOP);
    }

    /** Asks a running demo to stop and waits up to {@code wait} for it to have shut down. */
    public void stop(Duration wait) {
        requestStop();
        try {
            if (!finished.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The demo did not shut down within {}", Durations.format(wait));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs until the duration has passed or {@link #stop} is called, then shuts everything down.
     *
     * @throws BadInputException when the pair file or the work folder cannot be used
     */
    public Outcome run() {
        try {
            return runUntilStopped();
        } finally {
            finished.countDown();
        }
    }

    private Outcome runUntilStopped() {
        long start = System.nanoTime();
        List<PreferencePair> replay = settings.preferencesFile() == null ? null : readPairs(settings.preferencesFile());
        DemoReport report = new DemoReport(settings.minPairs());
        DemoFolder folder = DemoFolder.open(settings.workDir());
        Path work = folder.path();
        String scope = "demo-" + UUID.randomUUID();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            line("starting an embedded Kafka broker (KRaft) in " + work);
            EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"));
            open.add(kafka);
            RewardStreamConfig config = ConfigLoader.load(null, Map.of(), overrides(kafka, "mock://" + scope, work));
            line("broker on " + kafka.bootstrapServers() + "; schema registry in memory (mock://" + scope + ")");

            line("starting the trainer (first model after " + settings.minPairs() + " pairs, retraining checked every "
                    + Durations.format(settings.trainingInterval()) + ") and loading its encoder");
            Telemetry telemetry = new Telemetry("RewardStream demo");
            open.add(telemetry);
            TrainerRole trainer = TrainerRole.create(config, true, new Health(), StartupRetry.defaults(), telemetry);
            open.add(trainer);
            trainer.start();
            ScorerSettings scorerSettings = ScorerConfig.settings(config, null);
            ModelSource source = ScorerConfig.releases(config);
            ScorerRole scorer = ScorerRole.start(scorerSettings, ScorerConfig.connection(config), source, true,
                    config.createPartitions(), telemetry);
            open.add(scorer);

            SchemaRegistryClient registry = SchemaRegistryClients.create(Map.of(RegistryClientConfig.URL, "mock://" + scope));
            TrainerSerdes trainerSerdes = TrainerSerdes.of(registry, AvroSerdeConfig.defaults());
            ScoringSerdes scoringSerdes = ScoringSerdes.of(registry);
            DemoObserver observer = new DemoObserver(DemoClients.observer(kafka), config.topics(), new DemoObserver.Deserializers(
                    scoringSerdes.rewards().deserializer(), trainerSerdes.releases().deserializer(),
                    trainerSerdes.metrics().deserializer(), scoringSerdes.deadLetters().deserializer()), events::offer);
            open.add(observer);
            KafkaProducer<String, PreferenceEvent> preferenceProducer = DemoClients.producer(kafka,
                    trainerSerdes.preferences().serializer());
            open.add(preferenceProducer);
            KafkaProducer<String, RolloutResponse> rolloutProducer = DemoClients.producer(kafka,
                    scoringSerdes.responses().serializer());
            open.add(rolloutProducer);
            SyntheticPreferences generator = new SyntheticPreferences(settings.seed(), settings.noise());
            Annotator annotator = new Annotator(preferenceProducer, config.topics().preferences(),
                    replay == null ? Annotator.PairSource.synthetic(generator) : Annotator.PairSource.replay(replay),
                    replay == null ? "synthetic" : "replay:" + settings.preferencesFile().getFileName(),
                    settings.preferencesPerSecond(), events::offer);
            open.add(annotator);
            RolloutWorker worker = new RolloutWorker(rolloutProducer, config.topics().responses(),
                    replay == null ? RolloutWorker.Source.synthetic(new SyntheticPreferences(settings.seed() + 1, 0))
                            : RolloutWorker.Source.fromPairs(replay, settings.seed() + 1), settings.responsesPerSecond());
            open.add(worker);
            scorer.addStatusSection("Demo", () -> report.statusFacts(start, annotator, worker, observer));

            line(String.format(Locale.ROOT, "annotator: %s preference events at %.1f/s (1 in %d malformed on purpose);"
                    + " rollout worker: %.1f responses/s", replay == null ? "synthetic" : replay.size() + " replayed",
                    settings.preferencesPerSecond(), Annotator.INVALID_EVERY, settings.responsesPerSecond()));
            line(settings.duration().isZero() ? "running until Ctrl-C" : "running for "
                    + Durations.format(settings.duration()) + " (Ctrl-C stops it sooner)");
            line("status page:");
            line(scorer.statusUrl());

            boolean byUser = loop(start, annotator, observer, report);
            DemoObserver.Snapshot last = observer.snapshot();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            line(DemoReport.summary(elapsed, annotator, worker, last, byUser));
            return new Outcome(byUser, annotator.sent(), last.promotions(), last.rejections(), last.rewards(), elapsed);
        } finally {
            line("shutting down");
            Closeables.closeAll(open);
            MockRegistryScopes.drop(scope);
            folder.close();
            line("stopped cleanly");
        }
    }

    private boolean loop(long start, Annotator annotator, DemoObserver observer, DemoReport report) {
        long end = settings.duration().isZero() ? Long.MAX_VALUE : start + settings.duration().toNanos();
        long flipAt = settings.flipAfter() == null ? Long.MAX_VALUE : start + settings.flipAfter().toNanos();
        long every = settings.reportEvery().toNanos();
        long nextReport = start + every;
        long lastReport = start;
        long lastRewards = 0;
        while (!stopRequested) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                return false;
            }
            if (now - flipAt >= 0 && !annotator.flipped()) {
                annotator.flip();
            }
            long wakeAt = Math.min(Math.min(nextReport, end), annotator.flipped() ? Long.MAX_VALUE : flipAt);
            String event;
            try {
                event = events.poll(Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            if (STOP.equals(event)) {
                return true;
            }
            if (event != null) {
                line(stamp(start) + " " + event);
            } else if (System.nanoTime() - nextReport >= 0) {
                DemoObserver.Snapshot s = observer.snapshot();
                long t = System.nanoTime();
                double rate = (s.rewards() - lastRewards) / ((t - lastReport) / 1e9);
                line(stamp(start) + " " + report.progress(annotator, s, rate));
                lastRewards = s.rewards();
                lastReport = t;
                nextReport += every;
            }
        }
        return true;
    }

    private Map<String, String> overrides(EmbeddedKafka kafka, String registryUrl, Path work) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put(ConfigLoader.KAFKA_PREFIX + "bootstrap.servers", kafka.bootstrapServers());
        o.put(ConfigLoader.KAFKA_PREFIX + "replication.factor", "1");
        o.put("schema.registry.url", registryUrl);
        o.put("state.dir", work.resolve("state").toString());
        o.put("topics.partitions", "2");
        o.put("training.interval", Durations.format(settings.trainingInterval()));
        o.put("training.min-pairs", Integer.toString(settings.minPairs()));
        o.put("training.min-new-pairs", Integer.toString(Math.max(10, settings.minPairs() / 2)));
        o.put("prequential.window", "30s");
        o.put("prequential.advance", "10s");
        o.put("http.port", Integer.toString(settings.httpPort()));
        return o;
    }

    private static List<PreferencePair> readPairs(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("--preferences " + file + " is not a file");
        }
        List<PreferencePair> pairs = PairFile.read(file, true).records();
        if (pairs.isEmpty()) {
            throw new BadInputException("--preferences " + file + " holds no pairs");
        }
        return pairs;
    }

    private static String stamp(long start) {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        return String.format(Locale.ROOT, "[%d:%02d]", s / 60, s % 60);
    }

    private synchronized void line(String text) {
        out.println(text);
        out.flush();
    }
}
