package io.rewardstream.bench;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The model a benchmark serves when it is not given one: a linear head on the default frozen encoder, separate layout,
 * 256 tokens, seed 42, version 1, trained in seconds on the pairs it is handed.
 */
public final class BenchModels {

    private BenchModels() {
    }

    /**
     * Trains that model into {@code dir}.
     *
     * @param source  where the pairs came from, for the model card
     * @param name    the model's name
     * @param threads ONNX Runtime threads for encoding the pairs (0: one per core)
     */
    public static void train(List<PreferencePair> pairs, String source, String name, int threads, Path dir) {
        OfflineTrainer.train(new TrainRequest(pairs, 0, source, EncoderSource.resolve(EncoderSource.DEFAULT),
                FeatureLayout.SEPARATE, 256, 0.1, TrainingOptions.defaults(42), name, 1, threads), dir,
                TrainingProgress.SILENT);
    }

    /**
     * The model directory a benchmark serves: {@code given} when the user named one, else the model {@link #train}
     * writes to {@code work/model} from the first {@code trainPairs} pairs, announced on {@code err}.
     */
    public static Path givenOrTrained(Path given, List<PreferencePair> pairs, int trainPairs, String source,
                                      String name, int threads, Path work, PrintWriter err) {
        if (given != null) {
            return given;
        }
        err.println("training a model to serve on " + trainPairs + " pairs (" + source + ")");
        err.flush();
        Path dir = work.resolve("model");
        train(pairs.subList(0, trainPairs), source, name, threads, dir);
        return dir;
    }
}
