package io.rewardstream.learning.finetune;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.EncoderTokenizer;
import io.rewardstream.encoder.TokenSequence;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole fine-tuning run of a {@link FineTuneRecipe}: the pairs in the joint layout, optionally a linear head
 * fitted on the frozen encoder first, then epochs of length-bucketed batches under warm-up and linear decay,
 * each epoch scored on the validation pairs (pairwise accuracy, ties counting half). The best epoch (by accuracy,
 * then loss; epoch 0 is the starting point) is kept and returned, and the run stops after {@code patience} epochs
 * without a better one. A {@link Checkpoint} is written at every epoch's end and when a stop is requested; a run
 * given an existing checkpoint resumes from it and ends where the uninterrupted run would have.
 *
 * <p>Deterministic for a seed as far as PyTorch is: the batch order, the head's start and each step's dropout come
 * from the seed alone, so a run resumed from a checkpoint ends bit for bit where the uninterrupted run ends (tested
 * on one PyTorch thread; CPU kernels with more threads may sum in another order from run to run).
 *
 * <p>{@link EncoderTraining.Kind#FROZEN} is refused: a frozen encoder is trained by the head-only path on cached
 * features ({@code learning.OfflineTrainer}), which is seconds-fast. PyTorch keeps one gradient collector and one
 * thread count per JVM: run one fine-tune at a time.
 */
public final class FineTuneRun {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuneRun.class);

    /** Told of every step and every epoch. */
    public interface Listener {

        /** A listener that ignores everything. */
        Listener NONE = new Listener() {
            @Override
            public void onStep(int epoch, int step, int stepsPerEpoch, double loss) {
            }

            @Override
            public void onEpoch(EpochReport report) {
            }
        };

        /** After step {@code step} (1-based) of {@code stepsPerEpoch} in {@code epoch} (1-based). */
        void onStep(int epoch, int step, int stepsPerEpoch, double loss);

        /** After an epoch has been scored on the validation pairs; epoch 0 is the starting point. */
        void onEpoch(EpochReport report);
    }

    /**
     * One epoch's figures.
     *
     * @param trainLoss the mean loss of its steps (NaN for epoch 0)
     * @param seconds   its wall time, validation included (for epoch 0: the preparation)
     */
    public record EpochReport(int epoch, double trainLoss, double validationAccuracy, double validationLoss,
                              double seconds) {
    }

    /**
     * What a run gives back.
     *
     * @param encoder     the best epoch's encoder written back into its ONNX graph, named after the original and the
     *                    training ({@code all-minilm-l6-v2-layer-mean-full})
     * @param bestEpoch   the epoch whose weights these are (0: no epoch beat the starting point)
     * @param interrupted true when a stop request ended the run early (a checkpoint was written)
     * @param seconds     wall time of the run, over all the sessions of a resumed one
     */
    public record Result(EncoderSource encoder, float[] headWeights, float headBias, int bestEpoch,
                         List<EpochReport> epochs, boolean interrupted, double seconds) {
    }

    private final EncoderSource source;
    private final FineTuneRecipe recipe;
    private final Listener listener;
    private final Checkpoint checkpoint;
    private final BooleanSupplier stopRequested;
    private final long started = System.nanoTime();

    private FineTuneRun(EncoderSource source, FineTuneRecipe recipe, Listener listener, Checkpoint checkpoint,
                        BooleanSupplier stopRequested) {
        this.source = source;
        this.recipe = recipe;
        this.listener = listener;
        this.checkpoint = checkpoint;
        this.stopRequested = stopRequested;
    }

    /**
     * Fine-tunes {@code encoder} with a scalar head on {@code train}, choosing the epoch by {@code validation}.
     *
     * @param threads PyTorch intra-op threads for the JVM (0 keeps the current setting)
     * @throws IllegalArgumentException for a frozen recipe, no training pairs, or a checkpoint of another run
     */
    public static Result train(EncoderSource encoder, List<PreferencePair> train, List<PreferencePair> validation,
                               FineTuneRecipe recipe, int threads, Listener listener, Checkpoint checkpoint,
                               BooleanSupplier stopRequested) {
        return train(encoder, train, validation, recipe, threads, listener, checkpoint, stopRequested, null);
    }

    /**
     * As above, reusing frozen states computed once for a superset of the pairs ({@link #prepare}); states computed
     * for another encoder or another first trained layer are ignored and computed again.
     */
    public static Result train(EncoderSource encoder, List<PreferencePair> train, List<PreferencePair> validation,
                               FineTuneRecipe recipe, int threads, Listener listener, Checkpoint checkpoint,
                               BooleanSupplier stopRequested, FrozenStates prepared) {
        if (recipe.training().kind() == EncoderTraining.Kind.FROZEN) {
            throw new IllegalArgumentException("a frozen encoder is trained by the head-only path on cached features,"
                    + " not by a fine-tuning run");
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training pairs");
        }
        return new FineTuneRun(encoder, recipe, listener, checkpoint, stopRequested)
                .run(train, validation, threads, prepared);
    }

    /**
     * The frozen states a run of {@code recipe} needs, for all of {@code pairs}: compute them once and pass them to
     * several runs on subsets of the pairs.
     */
    public static FrozenStates prepare(EncoderSource encoder, List<PreferencePair> pairs, FineTuneRecipe recipe,
                                       int threads) {
        try (TrainableEncoder trainable = TrainableEncoder.load(encoder, threads);
             EncoderTokenizer tokenizer = new EncoderTokenizer(encoder.tokenizerJson())) {
            JointPairs joint = JointPairs.of(pairs, tokenizer, recipe.maxLength(), false);
            return FrozenStates.compute(trainable, joint.sequences(),
                    recipe.training().firstTrainedLayer(trainable.shape().layers()));
        }
    }

    private Result run(List<PreferencePair> trainPairs, List<PreferencePair> validationPairs, int threads,
                       FrozenStates prepared) {
        JointPairs train;
        JointPairs validation;
        try (EncoderTokenizer tokenizer = new EncoderTokenizer(source.tokenizerJson())) {
            train = JointPairs.of(trainPairs, tokenizer, recipe.maxLength(), recipe.useMargin());
            validation = JointPairs.of(validationPairs, tokenizer, recipe.maxLength(), false);
        }
        LOG.info("Fine-tuning {} ({}): {} training pairs ({} truncated), {} validation pairs", source.name(),
                recipe.describe(), train.size(), train.truncated(), validation.size());
        String sha256 = source.sha256();
        String fingerprint = fingerprint(sha256, trainPairs, validationPairs);
        Checkpoint.State resumed = checkpoint.exists() ? checkpoint.load(fingerprint) : null;
        try (TrainableEncoder encoder = TrainableEncoder.load(source, threads)) {
            int layers = encoder.shape().layers();
            int first = recipe.training().firstTrainedLayer(layers);
            boolean needFrozen = first > 0 || (resumed == null && recipe.linearProbeFirst());
            FrozenStates frozen = !needFrozen ? null : prepared != null && prepared.serves(sha256, first)
                    ? prepared : FrozenStates.compute(encoder, both(train, validation), first);
            float[] head = resumed != null ? new float[encoder.shape().hidden()] : startingHead(encoder, frozen,
                    train, validation);
            try (PairTrainer trainer = new PairTrainer(encoder, recipe, first > 0 ? frozen : null, head, 0f)) {
                Epochs epochs = new Epochs(trainer, train, validation, fingerprint);
                boolean interrupted = resumed != null ? epochs.resume(resumed) : epochs.start();
                interrupted = interrupted || epochs.run();
                return epochs.result(encoder, interrupted);
            }
        }
    }

    private static List<TokenSequence> both(JointPairs a, JointPairs b) {
        List<TokenSequence> all = new ArrayList<>(a.sequences());
        all.addAll(b.sequences());
        return all;
    }

    /** The linear probe's head, or seeded N(0, 1/hidden) weights. */
    private float[] startingHead(TrainableEncoder encoder, FrozenStates frozen, JointPairs train,
                                 JointPairs validation) {
        if (recipe.linearProbeFirst()) {
            float[] w = LinearProbe.fit(frozen.pooled(side(train, true)), frozen.pooled(side(train, false)),
                    train.margins(), frozen.pooled(side(validation, true)), frozen.pooled(side(validation, false)),
                    recipe.seed());
            LOG.info("Linear probe fitted on the frozen encoder's pooled vectors");
            return w;
        }
        Random random = new Random(recipe.seed());
        float[] w = new float[encoder.shape().hidden()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() / Math.sqrt(w.length));
        }
        return w;
    }

    private static List<TokenSequence> side(JointPairs pairs, boolean chosen) {
        int[] index = chosen ? pairs.chosen() : pairs.rejected();
        List<TokenSequence> out = new ArrayList<>(index.length);
        for (int i : index) {
            out.add(pairs.sequences().get(i));
        }
        return out;
    }

    private String fingerprint(String sha256, List<PreferencePair> train, List<PreferencePair> validation) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((recipe.describe() + "\n" + sha256 + "\n").getBytes(StandardCharsets.UTF_8));
            for (List<PreferencePair> part : List.of(train, validation)) {
                for (PreferencePair p : part) {
                    digest.update((p.prompt() + "\u0000" + p.chosen() + "\u0000" + p.rejected() + "\u0000"
                            + p.margin() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                digest.update((byte) 0x1e);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private double secondsSinceStart() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** The epoch loop of one run and the state a checkpoint keeps. */
    private final class Epochs {

        private final PairTrainer trainer;
        private final JointPairs train;
        private final JointPairs validation;
        private final String fingerprint;
        private final int[] lengths;
        private final int stepsPerEpoch;
        private final LearningRateSchedule schedule;
        private final List<EpochReport> reports = new ArrayList<>();
        private int epochsDone;
        private int nextStep;
        private double epochLoss;
        private double earlierSeconds;
        private int bestEpoch;
        private Map<String, float[]> best;

        Epochs(PairTrainer trainer, JointPairs train, JointPairs validation, String fingerprint) {
            this.trainer = trainer;
            this.train = train;
            this.validation = validation;
            this.fingerprint = fingerprint;
            this.lengths = train.lengths();
            this.stepsPerEpoch = LengthBuckets.count(train.size(), recipe.pairsPerBatch());
            this.schedule = LearningRateSchedule.of(recipe.epochs() * stepsPerEpoch, recipe.warmupFraction());
        }

        /** Scores the starting point as epoch 0; true when a stop was requested meanwhile. */
        boolean start() {
            double[] scored = score();
            EpochReport zero = new EpochReport(0, Double.NaN, scored[0], scored[1], secondsSinceStart());
            reports.add(zero);
            best = trainer.trainedValues();
            listener.onEpoch(zero);
            LOG.info("Epoch 0 (starting point): validation accuracy {}, loss {}", fmt(scored[0]), fmt(scored[1]));
            return stopIfRequested();
        }

        /** Puts the run back where a checkpoint left it; false (no stop yet). */
        boolean resume(Checkpoint.State s) {
            trainer.setTrainedValues(s.current());
            trainer.optimizer().restore(s.adamSteps(), s.moments());
            reports.addAll(s.reports());
            epochsDone = s.epochsDone();
            nextStep = s.nextStep();
            epochLoss = s.epochLoss();
            earlierSeconds = s.seconds();
            bestEpoch = s.bestEpoch();
            best = s.best();
            LOG.info("Resumed from {}: {} epochs done, step {} of epoch {}", checkpoint, epochsDone, nextStep,
                    epochsDone + 1);
            return false;
        }

        /** Trains the remaining epochs; true when a stop request ended it early. */
        boolean run() {
            while (epochsDone < recipe.epochs() && epochsDone - bestEpoch < recipe.patience()) {
                long epochStart = System.nanoTime();
                int epoch = epochsDone + 1;
                List<int[]> batches = LengthBuckets.batches(lengths, recipe.pairsPerBatch(), recipe.seed(), epoch);
                for (; nextStep < batches.size(); nextStep++) {
                    if (stopIfRequested()) {
                        return true;
                    }
                    int global = epochsDone * stepsPerEpoch + nextStep;
                    float loss = trainer.step(train, batches.get(nextStep), schedule.factor(global),
                            recipe.seed() * 1_000_003L + global);
                    epochLoss += loss;
                    listener.onStep(epoch, nextStep + 1, stepsPerEpoch, loss);
                }
                endEpoch(epoch, (System.nanoTime() - epochStart) / 1e9);
            }
            return false;
        }

        private void endEpoch(int epoch, double seconds) {
            double[] scored = score();
            EpochReport report = new EpochReport(epoch, epochLoss / stepsPerEpoch, scored[0], scored[1], seconds);
            EpochReport champion = reports.stream().filter(r -> r.epoch() == bestEpoch).findFirst().orElseThrow();
            if (validation.size() == 0 || scored[0] > champion.validationAccuracy()
                    || (scored[0] == champion.validationAccuracy() && scored[1] < champion.validationLoss())) {
                bestEpoch = epoch;
                best = trainer.trainedValues();
            }
            reports.add(report);
            epochsDone = epoch;
            nextStep = 0;
            epochLoss = 0;
            LOG.info("Epoch {}: train loss {}, validation accuracy {}, loss {}, {} s{}", epoch,
                    fmt(report.trainLoss()), fmt(scored[0]), fmt(scored[1]), String.format("%.0f", seconds),
                    bestEpoch == epoch ? " (best so far)" : "");
            save();
            listener.onEpoch(report);
        }

        private boolean stopIfRequested() {
            if (!stopRequested.getAsBoolean()) {
                return false;
            }
            save();
            LOG.info("Stop requested: checkpoint written at step {} of epoch {}", nextStep, epochsDone + 1);
            return true;
        }

        private void save() {
            checkpoint.save(new Checkpoint.State(fingerprint, epochsDone, nextStep, epochLoss,
                    earlierSeconds + secondsSinceStart(), List.copyOf(reports), bestEpoch,
                    checkpoint == Checkpoint.none() ? Map.of() : trainer.trainedValues(), trainer.optimizer().steps(),
                    checkpoint == Checkpoint.none() ? List.of() : trainer.optimizer().moments(), best));
        }

        /** {validation accuracy, validation loss}; NaN, NaN without validation pairs. */
        private double[] score() {
            if (validation.size() == 0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            float[] rewards = trainer.rewards(validation.sequences());
            double right = 0;
            double loss = 0;
            for (int i = 0; i < validation.size(); i++) {
                double gap = (double) rewards[validation.chosen()[i]] - rewards[validation.rejected()[i]];
                right += gap > 0 ? 1 : gap == 0 ? 0.5 : 0;
                loss += Math.max(-gap, 0) + Math.log1p(Math.exp(-Math.abs(gap)));
            }
            return new double[] {right / validation.size(), loss / validation.size()};
        }

        Result result(TrainableEncoder encoder, boolean interrupted) {
            trainer.setTrainedValues(best);
            EncoderSource tuned = encoder.toEncoderSource(source.name() + "-" + recipe.training().label());
            return new Result(tuned, trainer.headWeights(), trainer.headBias(), bestEpoch, List.copyOf(reports),
                    interrupted, earlierSeconds + secondsSinceStart());
        }
    }

    private static String fmt(double value) {
        return String.format("%.4f", value);
    }
}
