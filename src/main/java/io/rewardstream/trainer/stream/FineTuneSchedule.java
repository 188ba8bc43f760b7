package io.rewardstream.trainer.stream;

import io.rewardstream.trainer.retrain.Candidate;
import io.rewardstream.trainer.retrain.FineTuneJob;
import io.rewardstream.trainer.retrain.LiveRelease;
import io.rewardstream.trainer.retrain.TrainingSnapshot;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's slow path: fine-tunes of the encoder on the store's texts, on their own wall-clock schedule and their
 * own executor, so that head-only retrains go on beside a fine-tune that takes tens of minutes. At most one fine-tune
 * runs at a time; {@link #stop()} asks a running one to return early, and its result is then dropped.
 */
public final class FineTuneSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneSchedule.class);

    private final FineTuneJob job;
    private final Duration interval;
    private final Executor executor;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private boolean inFlight;

    /** @param interval how often the store looks whether a fine-tune is due (training.fine-tune-interval) */
    public FineTuneSchedule(FineTuneJob job, Duration interval, Executor executor) {
        this.job = job;
        this.interval = interval;
        this.executor = executor;
    }

    /** No fine-tunes: the trainer keeps to head-only retrains (training.encoder-training=frozen). */
    public static FineTuneSchedule off() {
        return new FineTuneSchedule(null, null, null);
    }

    boolean enabled() {
        return job != null;
    }

    Duration interval() {
        return interval;
    }

    boolean inFlight() {
        return inFlight;
    }

    /** Starts a fine-tune on {@code snapshot}; {@code live} is retained for it and dropped when it ends. */
    void start(TrainingSnapshot snapshot, LiveRelease live, Consumer<FinishedTraining> done) {
        inFlight = true;
        LiveRelease compareWith = live == null ? null : live.retain();
        LOG.info("Fine-tuning the encoder on {} pairs ({} held out)", snapshot.train().size(),
                snapshot.heldOut().size());
        executor.execute(() -> {
            try {
                Candidate candidate = job.run(snapshot, compareWith, stopping::get);
                if (stopping.get()) {
                    candidate.discard();
                } else {
                    done.accept(new FinishedTraining(candidate, null, true));
                }
            } catch (RuntimeException e) {
                LOG.error("Fine-tuning failed", e);
                done.accept(new FinishedTraining(null, e, true));
            } finally {
                if (compareWith != null) {
                    compareWith.drop();
                }
            }
        });
    }

    /** A fine-tune's result was taken: another may start. */
    void finished() {
        inFlight = false;
    }

    /** Asks a running fine-tune to return early (the trainer is closing). */
    void stop() {
        stopping.set(true);
    }
}
