package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.data.InputError;
import io.rewardstream.data.JsonLines;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.head.Activation;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.FineTuning;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingOutcome;
import io.rewardstream.learning.finetune.Checkpoint;
import io.rewardstream.learning.finetune.EncoderTraining;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import io.rewardstream.learning.finetune.PyTorchRuntime;
import io.rewardstream.runtime.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: fits a reward model on a JSONL file of preference pairs and writes a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a reward model on JSONL pairs {\"prompt\", \"chosen\", \"rejected\"[, \"margin\"]}.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pairs", required = true, paramLabel = "FILE.jsonl", description = "Preference pairs.")
    Path pairs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, initialisation and shuffling.")
    long seed;

    @Option(names = "--validation-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "Share of pairs (grouped by prompt) held out for early stopping, calibration and metrics.")
    double validationFraction;

    @Option(names = "--strict", description = "Stop at the first bad line instead of skipping it.")
    boolean strict;

    @Option(names = "--hidden", defaultValue = "0", paramLabel = "N",
            description = "Hidden units of the head (0: linear head, the default; see README).")
    int hidden;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW weight decay.")
    double weightDecay;

    @Option(names = "--center-coefficient", defaultValue = "0",
            description = "Weight of the reward-centering term mean((r_w + r_l)^2); 0 turns it off.")
    double centerCoefficient;

    @Option(names = "--no-margin", description = "Ignore \"margin\" values in the loss.")
    boolean noMargin;

    @Option(names = "--name", defaultValue = "rewardstream", description = "Model name.")
    String name;

    @Option(names = "--model-version", defaultValue = "1", description = "Model version to record.")
    long version;

    @Mixin
    EncoderOptions encoderOptions;

    @Option(names = "--encoder-training", paramLabel = "frozen|top-N|full",
            description = "What of the encoder trains: frozen (a head on cached features: seconds on a built-in"
                    + " encoder, minutes on BERT-base), top-N (the top N"
                    + " layers and the head) or full (every parameter). Default: the recipe measured for the encoder"
                    + " (top-4 for bert-base-uncased, top-2 for the others); see the README, \"Choice of recipe\".")
    String encoderTraining;

    @Option(names = "--recipe", paramLabel = "KEY=VALUE[,...]",
            description = "Fine-tuning settings over the encoder's default recipe, e.g. epochs=4,lr=3e-5 (keys: epochs,"
                    + " batch, lr, head-lr, layer-decay, wd, warmup, clip, dropout, ...; see the README).")
    String recipeSettings;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda:N", defaultValue = "auto",
            description = "Where a fine-tune runs: auto takes CUDA device 0 when PyTorch sees one (a -Pcuda build), "
                    + "else the CPU (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Where a fine-tune keeps what it resumes from (default: the --out folder's name + .checkpoint).")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue the fine-tune whose checkpoint is in --checkpoint (after Ctrl-C).")
    boolean resume;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonLines.Read<PreferencePair> read = PairFile.read(pairs, strict);
        reportSkipped(err, read.skipped());
        if (read.records().isEmpty()) {
            throw new BadInputException(pairs + ": no usable pairs");
        }
        TrainingOptions defaults = TrainingOptions.defaults(seed);
        TrainingOptions options = new TrainingOptions(hidden, hidden == 0 ? Activation.NONE : Activation.TANH,
                defaults.learningRate(), weightDecay, defaults.batchSize(), defaults.maxEpochs(), defaults.patience(),
                centerCoefficient, !noMargin, seed);
        FineTuneRecipe recipe = recipe();
        if (recipe != null) {
            try {
                PyTorchRuntime.useDevice(Device.parse("--device", device));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        Checkpoint saved = recipe == null ? Checkpoint.none() : checkpoint();
        AtomicBoolean stop = new AtomicBoolean();
        FineTuning fineTuning = recipe == null ? null
                : new FineTuning(recipe, saved, stop::get, encoderOptions.threads);
        TrainRequest request = new TrainRequest(read.records(), read.skipped().size(), pairs.getFileName().toString(),
                EncoderSource.resolve(encoderOptions.encoder), layout(recipe), encoderOptions.maxLength,
                validationFraction, options, name, version, encoderOptions.threads, fineTuning);
        Progress progress = Progress.forConsole(err);
        TrainingOutcome model;
        try (StopOnInterrupt ignored = StopOnInterrupt.install(stop)) {
            model = OfflineTrainer.train(request, this.out, progress.forTraining());
            progress.finishLine();
            if (model.stopped()) {
                err.printf("stopped: the fine-tune's checkpoint is in %s; run the same command with --resume to"
                        + " continue it%n", saved.file().getParent());
                err.flush();
                return Main.STOPPED;
            }
            printSummary(out, model);
        }
        saved.delete();
        return Main.OK;
    }

    /** The fine-tuning recipe, or null to train a head on the frozen encoder. */
    private FineTuneRecipe recipe() {
        FineTuneRecipe base = FineTuneRecipe.defaultsFor(encoderOptions.encoder);
        String training = encoderTraining == null ? base.training().label() : encoderTraining;
        EncoderTraining what;
        try {
            what = EncoderTraining.parse(training);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--encoder-training: " + e.getMessage());
        }
        if (what.kind() == EncoderTraining.Kind.FROZEN) {
            if (recipeSettings != null || resume) {
                throw new BadInputException((resume ? "--resume" : "--recipe")
                        + " applies to fine-tuning, not to --encoder-training frozen");
            }
            return null;
        }
        try {
            return FineTuneRecipe.parse(what.label() + (recipeSettings == null ? "" : "," + recipeSettings), base)
                    .withMaxLength(encoderOptions.maxLength).withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--recipe: " + e.getMessage());
        }
    }

    private Checkpoint checkpoint() {
        Path dir = checkpoint != null ? checkpoint
                : out.toAbsolutePath().resolveSibling(out.getFileName() + ".checkpoint");
        Checkpoint saved = Checkpoint.in(dir);
        if (saved.exists() && !resume) {
            throw new BadInputException("a fine-tune checkpoint exists in " + dir + ": pass --resume to continue it,"
                    + " or delete it to start over");
        }
        if (resume && !saved.exists()) {
            throw new BadInputException("--resume: no fine-tune checkpoint in " + dir);
        }
        return saved;
    }

    private FeatureLayout layout(FineTuneRecipe recipe) {
        if (recipe != null && encoderOptions.layout == FeatureLayout.SEPARATE
                && spec.commandLine().getParseResult().hasMatchedOption("--layout")) {
            throw new BadInputException("--layout separate: fine-tuning trains the joint layout; drop --layout or use"
                    + " --encoder-training frozen");
        }
        return recipe != null ? FeatureLayout.JOINT : encoderOptions.layout;
    }

    static void reportSkipped(PrintWriter err, List<InputError> skipped) {
        int shown = Math.min(10, skipped.size());
        for (int i = 0; i < shown; i++) {
            err.println("skipped " + skipped.get(i));
        }
        if (skipped.size() > shown) {
            err.println("skipped " + (skipped.size() - shown) + " more bad lines");
        }
    }

    private void printSummary(PrintWriter out, TrainingOutcome model) {
        PairwiseMetrics m = model.validation();
        var training = model.metadata().training();
        out.printf("model %s v%d written to %s%n", model.metadata().name(), model.metadata().version(), this.out);
        out.printf("pairs: %s train, %s validation, %s skipped lines, %s truncated%n", training.get("train_pairs"),
                training.get("validation_pairs"), training.get("skipped_lines"), training.get("truncated_pairs"));
        out.printf("encoder: %s (%s)%n", model.metadata().encoder().name(), training.get("encoder_training"));
        out.printf("epochs: %s (best %s)%n", training.get("epochs"), training.get("best_epoch"));
        out.printf("validation accuracy      %.4f%n", m.accuracy());
        out.printf("validation log loss      %.4f%n", m.logLoss());
        out.printf("ECE (T = %.3f)           %.4f%n", m.temperature(), m.ece());
        out.printf("length correlation       %.4f%n", m.lengthCorrelation());
        if (!Double.isNaN(m.marginCorrelation())) {
            out.printf("margin correlation       %.4f%n", m.marginCorrelation());
        }
        out.printf("reward mean / std        %.4f / %.4f%n", model.metadata().normalization().mean(),
                model.metadata().normalization().std());
        out.flush();
    }
}
