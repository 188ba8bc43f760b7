package io.rewardstream.trainer.stream;

import io.rewardstream.artifacts.Artifacts;
import io.rewardstream.avro.ArtifactRef;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.trainer.prequential.PrequentialMonitor;
import io.rewardstream.trainer.retrain.Candidate;
import io.rewardstream.trainer.retrain.LiveRelease;
import io.rewardstream.trainer.retrain.PromotionGate;
import io.rewardstream.trainer.retrain.ReleaseFactory;
import io.rewardstream.trainer.retrain.RetrainJob;
import io.rewardstream.trainer.retrain.TrainingPair;
import io.rewardstream.trainer.retrain.TrainingSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores each new pair with the live model (prequential evaluation), notes conflicting judgments, then puts
 * the pair into the windowed training store. Two wall-clock punctuators drive retraining: {@link #retrainIfDue}
 * starts a training on a snapshot when enough data arrived, {@link #publishFinished} publishes what finished.
 * WALL_CLOCK_TIME, because retraining is a schedule in real time: with STREAM_TIME a quiet topic would never
 * retrain and a replay of old data would retrain in a burst.
 */
public final class TrainingStoreProcessor implements Processor<String, TrainingPair, String, TrainerOutput> {

    /** How often finished trainings are looked for. */
    static final Duration PUBLISH_CHECK = Duration.ofSeconds(1);
    /** Encoder artifacts kept on the artifacts topic: the newest two, so a scorer swapping between them finds both. */
    static final int KEPT_ARTIFACTS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingStoreProcessor.class);

    private final RetrainSchedule settings;
    private final RetrainJob job;
    private final PromotionGate gate;
    private final ReleaseFactory releases;
    private final PrequentialMonitor monitor;
    private final Executor executor;
    private final FineTuneSchedule fineTunes;
    private final Function<ModelRelease, LiveRelease> liveLoader;
    private final TrainerObserver observer;
    private final Queue<FinishedTraining> finished = new ConcurrentLinkedQueue<>();

    private ProcessorContext<String, TrainerOutput> context;
    private WindowStore<String, TrainingPair> pairs;
    private WindowStore<String, Integer> judgments;
    private TrainerState state;
    private LiveRelease live;
    private boolean inFlight;
    private boolean retrainRequested;
    private long trainingFrom = Long.MIN_VALUE;
    private long latest = Long.MIN_VALUE;
    private long trainCount;
    private long newPairs;
    private long sinceDrift;
    private long judged;
    private long conflicts;

    /**
     * @param executor   runs head-only retrains
     * @param fineTunes  the slow path's schedule and executor, or {@link FineTuneSchedule#off()}
     * @param liveLoader opens the release in service when the store starts (its trained encoder, if it has one)
     */
    public TrainingStoreProcessor(RetrainSchedule settings, RetrainJob job, PromotionGate gate,
                                  ReleaseFactory releases, PrequentialMonitor monitor, Executor executor,
                                  FineTuneSchedule fineTunes, Function<ModelRelease, LiveRelease> liveLoader) {
        this(settings, job, gate, releases, monitor, executor, fineTunes, liveLoader, TrainerObserver.NONE);
    }

    /** As above, telling {@code observer} what the store publishes and trains. */
    public TrainingStoreProcessor(RetrainSchedule settings, RetrainJob job, PromotionGate gate,
                                  ReleaseFactory releases, PrequentialMonitor monitor, Executor executor,
                                  FineTuneSchedule fineTunes, Function<ModelRelease, LiveRelease> liveLoader,
                                  TrainerObserver observer) {
        this.observer = observer;
        this.settings = settings;
        this.job = job;
        this.gate = gate;
        this.releases = releases;
        this.monitor = monitor;
        this.executor = executor;
        this.fineTunes = fineTunes;
        this.liveLoader = liveLoader;
    }

    @Override
    public void init(ProcessorContext<String, TrainerOutput> context) {
        this.context = context;
        this.pairs = context.getStateStore(StoreNames.TRAINING_PAIRS);
        this.judgments = context.getStateStore(StoreNames.JUDGMENTS);
        this.state = new TrainerState(context.getStateStore(StoreNames.TRAINER_STATE));
        ModelRelease release = state.liveRelease();
        live = release == null ? null : liveLoader.apply(release);
        if (live != null) {
            monitor.modelChanged(live.heldOutAccuracy(), live.heldOutPairs());
            observer.liveRelease(release);
        }
        trainingFrom = state.trainingFrom();
        countStoredPairs();
        observer.storedPairs(trainCount);
        newPairs = trainCount;
        LOG.info("Training store holds {} training pairs; live model {}, last version {}", trainCount,
                live == null ? "none" : "v" + live.version(), state.lastVersion());
        context.schedule(settings.interval(), PunctuationType.WALL_CLOCK_TIME, this::retrainIfDue);
        context.schedule(PUBLISH_CHECK, PunctuationType.WALL_CLOCK_TIME, this::publishFinished);
        if (fineTunes.enabled()) {
            context.schedule(fineTunes.interval(), PunctuationType.WALL_CLOCK_TIME, this::fineTuneIfDue);
        }
    }

    private void countStoredPairs() {
        try (KeyValueIterator<Windowed<String>, TrainingPair> all = pairs.all()) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, TrainingPair> entry = all.next();
                latest = Math.max(latest, entry.key.window().start());
                trainCount += entry.value.heldOut() ? 0 : 1;
            }
        }
    }

    @Override
    public void process(Record<String, TrainingPair> record) {
        TrainingPair pair = record.value();
        long ts = record.timestamp();
        latest = Math.max(latest, ts);
        if (live != null) {
            observe(pair, ts);
        }
        noteJudgment(pair, ts);
        pairs.put(pair.pairId(), pair, ts);
        if (!pair.heldOut()) {
            trainCount++;
            newPairs++;
            sinceDrift++;
            observer.storedPairs(trainCount);
        }
        if (!inFlight && ((live == null && newPairs >= settings.minPairs())
                || (retrainRequested && sinceDrift >= settings.minPairs()))) {
            startTraining();
        }
    }

    private void observe(TrainingPair pair, long ts) {
        long now = context.currentSystemTimeMs();
        PrequentialMonitor.Outcome outcome = monitor.observe(live.version(), live.temperature(), ts, live.gap(pair), now);
        outcome.reports().forEach(report -> {
            report.setConflictRate(judged == 0 ? null : (double) conflicts / judged);
            report(report, now);
        });
        if (outcome.alert() != null) {
            LOG.warn("Drift: {}", outcome.alert().getMessage());
            report(outcome.alert(), now);
            if (settings.driftRetrain()) {
                trainingFrom = Math.max(trainingFrom, outcome.changeStart());
                state.setTrainingFrom(trainingFrom);
                retrainRequested = true;
                sinceDrift = 0;
            }
        }
    }

    private void noteJudgment(TrainingPair pair, long ts) {
        int direction = pair.chosenFirst() ? 1 : 0;
        judged++;
        try (WindowStoreIterator<Integer> earlier = judgments.fetch(pair.judgmentKey(),
                ts - settings.window().toMillis(), ts)) {
            while (earlier.hasNext()) {
                if (earlier.next().value != direction) {
                    conflicts++;
                    LOG.debug("Conflicting judgment in pair {}", pair.pairId());
                    break;
                }
            }
        }
        judgments.put(pair.judgmentKey(), direction, ts);
    }

    /** Punctuator: trains when enough new pairs arrived, or when drift asked for it. */
    void retrainIfDue(long now) {
        if (!inFlight && (retrainRequested
                || (trainCount >= settings.minPairs() && newPairs >= settings.minNewPairs()))) {
            startTraining();
        }
    }

    /** Punctuator of the slow path: fine-tunes the encoder when none runs and enough pairs are stored. */
    void fineTuneIfDue(long now) {
        if (fineTunes.inFlight() || trainCount < settings.minPairs()) {
            return;
        }
        TrainingSnapshot snapshot = snapshot();
        if (snapshot.train().size() >= settings.minPairs()) {
            fineTunes.start(snapshot, live, finished::add);
        }
    }

    private TrainingSnapshot snapshot() {
        long from = Math.max(trainingFrom, latest - settings.window().toMillis());
        return TrainingSnapshot.read(pairs, from, judged == 0 ? 0 : (double) conflicts / judged);
    }

    private void startTraining() {
        TrainingSnapshot snapshot = snapshot();
        if (snapshot.train().size() < settings.minPairs()) {
            LOG.debug("Not training: {} training pairs since {}", snapshot.train().size(), snapshot.windowStart());
            sinceDrift = snapshot.train().size();
            return;
        }
        inFlight = true;
        retrainRequested = false;
        newPairs = 0;
        LiveRelease liveNow = live == null ? null : live.retain();
        LOG.info("Training on {} pairs ({} held out); conflicting judgments so far {} of {} ({})",
                snapshot.train().size(), snapshot.heldOut().size(), conflicts, judged,
                String.format(Locale.ROOT, "%.4f", snapshot.conflictRate()));
        executor.execute(() -> {
            try {
                finished.add(new FinishedTraining(job.run(snapshot, liveNow), null, false));
            } catch (RuntimeException e) {
                LOG.error("Training failed", e);
                finished.add(new FinishedTraining(null, e, false));
            } finally {
                if (liveNow != null) {
                    liveNow.drop();
                }
            }
        });
        publishFinished(context.currentSystemTimeMs());
    }

    /** Punctuator: gates and publishes finished trainings on the stream thread. */
    void publishFinished(long now) {
        FinishedTraining done;
        while ((done = finished.poll()) != null) {
            if (done.fineTune()) {
                fineTunes.finished();
            } else {
                inFlight = false;
            }
            long version = state.nextVersion();
            if (done.candidate() != null) {
                boolean promoted = decide(done.candidate(), version, now);
                observer.trainingFinished(done.fineTune(), done.candidate().trainSeconds(),
                        promoted ? TrainerObserver.Outcome.PROMOTED : TrainerObserver.Outcome.REJECTED);
            } else {
                report(releases.rejected(null, version, "training failed: " + done.failure(), now), now);
                observer.trainingFinished(done.fineTune(), Double.NaN, TrainerObserver.Outcome.FAILED);
            }
        }
    }

    /** Promotes or rejects {@code candidate}; true when it was promoted. */
    private boolean decide(Candidate candidate, long version, long now) {
        // A drift alert that came while the candidate trained makes it stale: its pairs (and the held-out pairs
        // it would look good on) are from before the change.
        PromotionGate.Decision decision = candidate.snapshot().windowStart() < trainingFrom
                ? new PromotionGate.Decision(false, String.format(Locale.ROOT, "trained on pairs from %s on, but a"
                        + " drift alert dated a change at %s while it trained: superseded by a retrain on the pairs"
                        + " since", Instant.ofEpochMilli(candidate.snapshot().windowStart()),
                        Instant.ofEpochMilli(trainingFrom)))
                : gate.decide(candidate.heldOut().accuracy(), candidate.liveAccuracy(), candidate.versusLive());
        if (!decision.promote()) {
            LOG.info("Rejected candidate v{}: {}", version, decision.reason());
            report(releases.rejected(candidate, version, decision.reason(), now), now);
            candidate.discard();
            return false;
        }
        ReleaseFactory.Publication publication = releases.promoted(candidate, version, decision.reason(), now);
        ModelRelease release = publication.release();
        publishArtifacts(publication, now);
        state.setLiveRelease(release);
        LiveRelease previous = live;
        live = candidate.trained() == null ? LiveRelease.of(release)
                : LiveRelease.withScorer(release, candidate.trained().scorer());
        if (previous != null) {
            previous.drop();
        }
        monitor.modelChanged(live.heldOutAccuracy(), live.heldOutPairs());
        LOG.info("Promoted v{} ({} train pairs, {}s): {}", version, candidate.snapshot().train().size(),
                String.format("%.2f", candidate.trainSeconds()), decision.reason());
        publish(release, now);
        var metrics = candidate.heldOut();
        report(monitor.heldOut(version, candidate.snapshot().windowStart(), candidate.snapshot().windowEnd(),
                metrics.pairs(), metrics.accuracy(), metrics.logLoss(), metrics.meanGap(), now), now);
        return true;
    }

    /**
     * Chunks of a trained encoder go out before the release that names them (in the same transaction, so a
     * read_committed reader sees all or none); chunks of encoders older than the last two are deleted by tombstones.
     */
    private void publishArtifacts(ReleaseFactory.Publication publication, long now) {
        if (publication.artifacts().isEmpty()) {
            return;
        }
        publication.artifacts().forEach(chunk -> context.forward(new Record<>(Artifacts.key(chunk),
                TrainerOutput.artifact(chunk), now)));
        for (ArtifactRef stale : state.addArtifact(Artifacts.ref(publication.artifacts()), KEPT_ARTIFACTS)) {
            for (int part = 0; part < stale.getParts(); part++) {
                context.forward(new Record<>(Artifacts.key(stale.getSha256(), part), TrainerOutput.artifact(null),
                        now));
            }
            LOG.info("Deleted the chunks of encoder artifact {}: no recent release uses it",
                    stale.getSha256().substring(0, 12));
        }
    }

    /** Stops a running fine-tune and lets go of the live model (the task is closing). */
    @Override
    public void close() {
        fineTunes.stop();
        FinishedTraining unpublished;
        while ((unpublished = finished.poll()) != null) {
            if (unpublished.candidate() != null) {
                unpublished.candidate().discard();
            }
        }
        if (live != null) {
            live.drop();
            live = null;
        }
    }

    private void publish(ModelRelease release, long timestamp) {
        TrainerOutput output = TrainerOutput.release(release);
        context.forward(new Record<>(releases.modelName(), output, timestamp));
        observer.published(output);
    }

    private void report(SpecificRecord metric, long timestamp) {
        TrainerOutput output = TrainerOutput.metric(metric);
        context.forward(new Record<>(releases.modelName(), output, timestamp));
        observer.published(output);
    }
}
