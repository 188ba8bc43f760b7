package io.rewardstream.cli;

import io.rewardstream.learning.TrainingProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar on a terminal, plain lines (at most one per 10%) otherwise, so logs and
 * pipes stay readable.
 */
final class Progress {

    private final PrintWriter err;
    private final boolean terminal;
    private String task = "";
    private int lastDecile = -1;
    private long lastDone;
    private long taskStart;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static Progress forConsole(PrintWriter err) {
        return new Progress(err, System.console() != null);
    }

    /**
     * Shows {@code done} of {@code total} for the task {@code name}. A task that starts over under the same name (the
     * same epoch of the next split in {@code bench accuracy}) counts as a new one, so its progress is shown again.
     */
    void update(String name, long done, long total, String detail) {
        if (!name.equals(task) || done < lastDone) {
            finishLine();
            task = name;
            lastDecile = -1;
            taskStart = System.nanoTime();
        }
        lastDone = done;
        double share = total <= 0 ? 1 : Math.min(1, (double) done / total);
        String eta = eta(share);
        if (terminal) {
            int width = 30;
            int filled = (int) Math.round(share * width);
            err.printf("\r%-10s [%s%s] %3.0f%% %s%s", name, "#".repeat(filled), " ".repeat(width - filled),
                    share * 100, eta, detail);
            err.flush();
            return;
        }
        int decile = (int) Math.floor(share * 10);
        if (decile > lastDecile) {
            lastDecile = decile;
            err.printf("%s: %d/%d %s%s%n", name, done, total, eta, detail);
            err.flush();
        }
    }

    /** A line of its own that stays (an epoch's figures), under the bar. */
    void line(String text) {
        if (terminal && !task.isEmpty()) {
            err.print("\r");
        }
        err.println(text);
        err.flush();
    }

    /** "ETA 12:34 " from the time spent on the task so far, once there is something to go by. */
    private String eta(double share) {
        if (share <= 0 || share >= 1) {
            return "";
        }
        long seconds = Math.round((System.nanoTime() - taskStart) / 1e9 * (1 - share) / share);
        return String.format(Locale.ROOT, "ETA %d:%02d ", seconds / 60, seconds % 60);
    }

    /** Reports encoding and training progress of a training run. */
    TrainingProgress forTraining() {
        return new TrainingProgress() {
            @Override
            public void encoded(int done, int total) {
                update("encoding", done, total, "sequences");
            }

            @Override
            public void epoch(int epoch, int maxEpochs, double trainLoss, double validationLoss) {
                update("training", epoch, maxEpochs, String.format("epoch %d train loss %.4f validation loss %.4f",
                        epoch, trainLoss, validationLoss));
            }

            @Override
            public void fineTuneStep(int epoch, int maxEpochs, int step, int steps, double loss) {
                update("fine-tune", (long) (epoch - 1) * steps + step, (long) maxEpochs * steps,
                        String.format(Locale.ROOT, "epoch %d/%d loss %.4f", epoch, maxEpochs, loss));
            }

            @Override
            public void fineTuneEpoch(int epoch, int maxEpochs, double trainLoss, double validationAccuracy,
                                      double seconds) {
                line(String.format(Locale.ROOT, epoch == 0
                        ? "fine-tune: before training, validation accuracy %3$.4f (%4$.0f s to prepare)"
                        : "fine-tune: epoch %d, train loss %.4f, validation accuracy %.4f, %.0f s", epoch, trainLoss,
                        validationAccuracy, seconds));
            }
        };
    }

    void finishLine() {
        if (terminal && !task.isEmpty()) {
            err.println();
            err.flush();
        }
        task = "";
    }
}
