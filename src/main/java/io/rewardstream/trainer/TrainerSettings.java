package io.rewardstream.trainer;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;
import io.rewardstream.learning.finetune.EncoderTraining;
import io.rewardstream.model.TextRules;
import io.rewardstream.runtime.Device;
import io.rewardstream.trainer.stream.EventLimits;
import io.rewardstream.trainer.retrain.PromotionPolicy;
import io.rewardstream.trainer.stream.RetrainSchedule;
import java.time.Duration;

/**
 * The trainer's own settings (see docs/trainer.md for each key, its default and why), validated on construction:
 * a bad value fails with a {@link ConfigException} naming its key. Built by {@link TrainerConfig} from the layered
 * configuration, or with {@link #builder()} (every field at its default until set).
 *
 * @param modelName          key of releases and metrics (model.name)
 * @param interval           how often the retrain punctuator looks for enough new data (training.interval)
 * @param minPairs           training pairs needed before any training (training.min-pairs)
 * @param minNewPairs        pairs that must have arrived since the last training (training.min-new-pairs)
 * @param window             training window: retention of the stores (training.window)
 * @param holdoutFraction    share of events held out by event-id hash (training.holdout-fraction)
 * @param seed               seeds the held-out hash and training (training.seed)
 * @param gateTolerance      accuracy the candidate may lose against the live model (gate.tolerance)
 * @param gateFloor          held-out accuracy a candidate must reach (gate.min-accuracy)
 * @param prequentialWindow  size of the hopping accuracy windows (prequential.window)
 * @param prequentialAdvance advance of the hopping accuracy windows (prequential.advance)
 * @param driftDelta         Page-Hinkley tolerated error-rate increase (drift.delta)
 * @param driftLambda        Page-Hinkley alarm threshold (drift.lambda)
 * @param driftMinPairs      pairs scored before the detector may fire (drift.min-pairs)
 * @param driftRetrain       retrain at once, on the pairs since the estimated change, after an alert (drift.retrain)
 * @param encodeBatch        events whose texts are encoded in one call (training.encode-batch; 1 encodes each
 *                           event as it arrives)
 * @param encodeLinger       longest an event waits for its encoding batch to fill (training.encode-linger)
 * @param encoderTraining    what of the encoder the slow path trains: frozen (no fine-tunes, head-only retrains
 *                           only), top-N or full (training.encoder-training)
 * @param fineTuneInterval   how often a fine-tune of the encoder is started when none runs
 *                           (training.fine-tune-interval)
 * @param device             where fine-tunes run: auto, cpu or cuda:N (training.device)
 * @param maxTextChars       longest prompt or response accepted, in characters (input.max-text-chars)
 * @param maxPairsPerEvent   most ordered pairs one event may expand into (training.max-pairs-per-event)
 * @param gatePolicy         what a candidate must show against the live model (gate.policy, gate.min-gain,
 *                           gate.significance)
 */
public record TrainerSettings(String modelName, Duration interval, int minPairs, int minNewPairs, Duration window,
                              double holdoutFraction, long seed, double gateTolerance, double gateFloor,
                              Duration prequentialWindow, Duration prequentialAdvance, double driftDelta,
                              double driftLambda, int driftMinPairs, boolean driftRetrain, int encodeBatch,
                              Duration encodeLinger, String encoderTraining, Duration fineTuneInterval,
                              Device device, int maxTextChars, int maxPairsPerEvent,
                              PromotionPolicy gatePolicy) {

    public TrainerSettings {
        require(encodeBatch >= 1 && encodeBatch <= 10_000, "training.encode-batch", "must be between 1 and 10000");
        require(encodeLinger != null && encodeLinger.toMillis() >= 1, "training.encode-linger", "must be at least 1ms");
        require(modelName != null && !modelName.isBlank(), "model.name", "must not be empty");
        require(positive(interval), "training.interval", "must be positive");
        require(minPairs >= 2, "training.min-pairs", "must be at least 2");
        require(minNewPairs >= 1, "training.min-new-pairs", "must be at least 1");
        require(positive(window), "training.window", "must be positive");
        require(holdoutFraction > 0 && holdoutFraction < 1, "training.holdout-fraction", "must be in (0, 1)");
        require(gateTolerance >= 0 && gateTolerance <= 1, "gate.tolerance", "must be in [0, 1]");
        require(gateFloor >= 0 && gateFloor <= 1, "gate.min-accuracy", "must be in [0, 1]");
        require(positive(prequentialWindow), "prequential.window", "must be positive");
        require(positive(prequentialAdvance) && prequentialAdvance.compareTo(prequentialWindow) <= 0,
                "prequential.advance", "must be positive and at most prequential.window");
        require(driftDelta >= 0, "drift.delta", "must be >= 0");
        require(driftLambda > 0, "drift.lambda", "must be > 0");
        require(driftMinPairs >= 1, "drift.min-pairs", "must be at least 1");
        require(encoderTraining != null && validTraining(encoderTraining), "training.encoder-training",
                "must be frozen, full or top-N (N >= 1), got '" + encoderTraining + "'");
        require(positive(fineTuneInterval), "training.fine-tune-interval", "must be positive");
        require(device != null, "training.device", "must be auto, cpu or cuda:N");
        require(maxTextChars >= 1, ConfigKeys.INPUT_MAX_TEXT_CHARS, "must be at least 1");
        require(maxPairsPerEvent >= 1, ConfigKeys.TRAINING_MAX_PAIRS_PER_EVENT, "must be at least 1");
        require(gatePolicy != null, "gate.policy", "must be tolerance or improvement");
    }

    /** What one preference event may hold: its texts, and the pairs its ranking expands into. */
    public EventLimits eventLimits() {
        return new EventLimits(new TextRules(maxTextChars, ConfigKeys.INPUT_MAX_TEXT_CHARS), maxPairsPerEvent,
                ConfigKeys.TRAINING_MAX_PAIRS_PER_EVENT);
    }

    /** Whether the slow path fine-tunes the encoder at all. */
    public boolean fineTunes() {
        return EncoderTraining.parse(encoderTraining).kind() != EncoderTraining.Kind.FROZEN;
    }

    /** Every setting at its default (the defaults of {@code ConfigKeys}). */
    public static TrainerSettings defaults() {
        return TrainerConfig.settings(KeyValues.defaults());
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** When the training store retrains: what its punctuator needs. */
    public RetrainSchedule schedule() {
        return new RetrainSchedule(interval, minPairs, minNewPairs, window, driftRetrain);
    }

    private static boolean validTraining(String text) {
        try {
            EncoderTraining.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key, problem);
        }
    }

    /** Sets settings by name; {@link #build()} validates them. */
    public static final class Builder {
        private String modelName;
        private Duration interval;
        private int minPairs;
        private int minNewPairs;
        private Duration window;
        private double holdoutFraction;
        private long seed;
        private double gateTolerance;
        private double gateFloor;
        private PromotionPolicy gatePolicy;
        private Duration prequentialWindow;
        private Duration prequentialAdvance;
        private double driftDelta;
        private double driftLambda;
        private int driftMinPairs;
        private boolean driftRetrain;
        private int encodeBatch;
        private Duration encodeLinger;
        private String encoderTraining;
        private Duration fineTuneInterval;
        private Device device;
        private int maxTextChars;
        private int maxPairsPerEvent;

        private Builder(TrainerSettings s) {
            modelName = s.modelName;
            interval = s.interval;
            minPairs = s.minPairs;
            minNewPairs = s.minNewPairs;
            window = s.window;
            holdoutFraction = s.holdoutFraction;
            seed = s.seed;
            gateTolerance = s.gateTolerance;
            gateFloor = s.gateFloor;
            gatePolicy = s.gatePolicy;
            prequentialWindow = s.prequentialWindow;
            prequentialAdvance = s.prequentialAdvance;
            driftDelta = s.driftDelta;
            driftLambda = s.driftLambda;
            driftMinPairs = s.driftMinPairs;
            driftRetrain = s.driftRetrain;
            encodeBatch = s.encodeBatch;
            encodeLinger = s.encodeLinger;
            encoderTraining = s.encoderTraining;
            fineTuneInterval = s.fineTuneInterval;
            device = s.device;
            maxTextChars = s.maxTextChars;
            maxPairsPerEvent = s.maxPairsPerEvent;
        }

        public Builder modelName(String value) {
            modelName = value;
            return this;
        }

        /** The schedule: look every {@code every}; train once {@code min} pairs, {@code minNew} of them new, are in. */
        public Builder retrain(Duration every, int min, int minNew) {
            interval = every;
            minPairs = min;
            minNewPairs = minNew;
            return this;
        }

        public Builder window(Duration value) {
            window = value;
            return this;
        }

        public Builder holdout(double fraction, long hashSeed) {
            holdoutFraction = fraction;
            seed = hashSeed;
            return this;
        }

        public Builder gatePolicy(PromotionPolicy value) {
            gatePolicy = value;
            return this;
        }

        public Builder gate(double tolerance, double floor) {
            gateTolerance = tolerance;
            gateFloor = floor;
            return this;
        }

        public Builder prequential(Duration size, Duration advance) {
            prequentialWindow = size;
            prequentialAdvance = advance;
            return this;
        }

        public Builder drift(double delta, double lambda, int minScored, boolean retrainOnAlert) {
            driftDelta = delta;
            driftLambda = lambda;
            driftMinPairs = minScored;
            driftRetrain = retrainOnAlert;
            return this;
        }

        public Builder encoding(int events, Duration linger) {
            encodeBatch = events;
            encodeLinger = linger;
            return this;
        }

        /** The slow path: {@code training} (frozen, full or top-N), started every {@code every} when none runs. */
        public Builder fineTune(String training, Duration every) {
            encoderTraining = training;
            fineTuneInterval = every;
            return this;
        }

        /** Where fine-tunes run. */
        public Builder device(Device value) {
            device = value;
            return this;
        }

        /** What one event may hold: its longest text, and the most pairs its ranking may expand into. */
        public Builder limits(int textChars, int pairsPerEvent) {
            maxTextChars = textChars;
            maxPairsPerEvent = pairsPerEvent;
            return this;
        }

        public TrainerSettings build() {
            return new TrainerSettings(modelName, interval, minPairs, minNewPairs, window, holdoutFraction, seed,
                    gateTolerance, gateFloor, prequentialWindow, prequentialAdvance, driftDelta, driftLambda,
                    driftMinPairs, driftRetrain, encodeBatch, encodeLinger, encoderTraining, fineTuneInterval, device,
                    maxTextChars, maxPairsPerEvent, gatePolicy);
        }
    }
}
