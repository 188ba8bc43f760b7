package io.rewardstream.config;

import java.time.Duration;

/**
 * The trainer's own settings (see docs/trainer.md for each key, its default and why).
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
 */
public record TrainerSettings(String modelName, Duration interval, int minPairs, int minNewPairs, Duration window,
                              double holdoutFraction, long seed, double gateTolerance, double gateFloor,
                              Duration prequentialWindow, Duration prequentialAdvance, double driftDelta,
                              double driftLambda, int driftMinPairs, boolean driftRetrain, int encodeBatch,
                              Duration encodeLinger) {

    /** Encoding batch defaults: 32 pairwise events are up to 96 texts, three full encoder batches of 32. */
    public static final int DEFAULT_ENCODE_BATCH = 32;
    public static final Duration DEFAULT_ENCODE_LINGER = Duration.ofMillis(100);

    public static TrainerSettings defaults() {
        return new TrainerSettings("reward-model", Duration.ofMinutes(5), 1000, 200, Duration.ofDays(7), 0.1, 42L,
                0.01, 0.55, Duration.ofMinutes(10), Duration.ofMinutes(1), 0.05, 30.0, 30, true);
    }

    /** With the default encoding batch. */
    public TrainerSettings(String modelName, Duration interval, int minPairs, int minNewPairs, Duration window,
                           double holdoutFraction, long seed, double gateTolerance, double gateFloor,
                           Duration prequentialWindow, Duration prequentialAdvance, double driftDelta,
                           double driftLambda, int driftMinPairs, boolean driftRetrain) {
        this(modelName, interval, minPairs, minNewPairs, window, holdoutFraction, seed, gateTolerance, gateFloor,
                prequentialWindow, prequentialAdvance, driftDelta, driftLambda, driftMinPairs, driftRetrain,
                DEFAULT_ENCODE_BATCH, DEFAULT_ENCODE_LINGER);
    }

    public TrainerSettings withEncodeBatching(int events, Duration linger) {
        return new TrainerSettings(modelName, interval, minPairs, minNewPairs, window, holdoutFraction, seed,
                gateTolerance, gateFloor, prequentialWindow, prequentialAdvance, driftDelta, driftLambda,
                driftMinPairs, driftRetrain, events, linger);
    }

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
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw ConfigException.of(key, message);
        }
    }
}
