package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.data.InputError;
import io.rewardstream.data.JsonLines;
import io.rewardstream.data.PairFile;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.head.Activation;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
        TrainRequest request = new TrainRequest(read.records(), read.skipped().size(), pairs.getFileName().toString(),
                EncoderSource.resolve(encoderOptions.encoder), encoderOptions.layout, encoderOptions.maxLength,
                validationFraction, options, name, version, encoderOptions.threads);
        Progress progress = Progress.forConsole(err);
        TrainingOutcome model = OfflineTrainer.train(request, this.out, progress.forTraining());
        progress.finishLine();
        printSummary(out, model);
        return Main.OK;
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
