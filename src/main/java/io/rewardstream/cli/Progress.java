package io.rewardstream.cli;

import io.rewardstream.learning.TrainingProgress;
import java.io.PrintWriter;

/**
 * Progress on stderr: a redrawn bar on a terminal, plain lines (at most one per 10%) otherwise, so logs and
 * pipes stay readable.
 */
final class Progress {

    private final PrintWriter err;
    private final boolean terminal;
    private String task = "";
    private int lastDecile = -1;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static Progress forConsole(PrintWriter err) {
        return new Progress(err, System.console() != null);
    }

    void update(String name, long done, long total, String detail) {
        if (!name.equals(task)) {
            finishLine();
            task = name;
            lastDecile = -1;
        }
        double share = total <= 0 ? 1 : Math.min(1, (double) done / total);
        if (terminal) {
            int width = 30;
            int filled = (int) Math.round(share * width);
            err.printf("\r%-10s [%s%s] %3.0f%% %s", name, "#".repeat(filled), " ".repeat(width - filled), share * 100,
                    detail);
            err.flush();
            return;
        }
        int decile = (int) Math.floor(share * 10);
        if (decile > lastDecile) {
            lastDecile = decile;
            err.printf("%s: %d/%d %s%n", name, done, total, detail);
            err.flush();
        }
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
