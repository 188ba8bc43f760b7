package io.rewardstream.model;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingProgress;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Models trained once per test JVM on synthetic preferences with the default encoder. */
public final class ModelFixtures {

    private static final Map<FeatureLayout, Path> TRAINED = new EnumMap<>(FeatureLayout.class);

    private ModelFixtures() {
    }

    public static synchronized Path trained(FeatureLayout layout) {
        return TRAINED.computeIfAbsent(layout, l -> {
            try {
                Path dir = Files.createTempDirectory("rewardstream-model-" + l.manifestName()).resolve("model");
                train(new SyntheticPreferences(1, 0.05).pairs(600), EncoderSource.resolve(EncoderSource.DEFAULT), l, dir);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static void train(List<PreferencePair> pairs, EncoderSource encoder, FeatureLayout layout, Path dir) {
        TrainRequest request = new TrainRequest(pairs, 0, "synthetic", encoder, layout, 128, 0.2,
                TrainingOptions.defaults(5), "fixture", 3, 2);
        OfflineTrainer.train(request, dir, TrainingProgress.SILENT);
    }
}
