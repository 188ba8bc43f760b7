package io.rewardstream.cli;

import io.rewardstream.data.EncodedPairs;
import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.evaluation.LengthRule;
import io.rewardstream.evaluation.PairwiseMetrics;
import io.rewardstream.evaluation.RewardPairs;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.learning.OfflineTrainer;
import io.rewardstream.learning.TrainRequest;
import io.rewardstream.learning.TrainingOptions;
import io.rewardstream.learning.TrainingOutcome;
import io.rewardstream.model.ExportRunner;
import io.rewardstream.model.ModelExport;
import io.rewardstream.model.PromptResponse;
import io.rewardstream.model.RewardModel;
import io.rewardstream.synthetic.SyntheticPreferences;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code offline-demo}: the model core end to end on files, without Kafka, on data RewardStream generates itself. Trains a reward model on synthetic
 * preferences that follow a hidden rule with label noise, evaluates it on fresh pairs against the length rules,
 * scores a few rollouts, exports the standalone ONNX file and checks it agrees with the Java path.
 */
@Command(name = "offline-demo", mixinStandardHelpOptions = true,
        description = "Train, evaluate, score and export a reward model on generated preference data, without Kafka.")
final class OfflineDemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--work-dir", defaultValue = "target/demo", description = "Where the model and export go.")
    Path workDir;

    @Option(names = "--pairs", defaultValue = "2000", description = "Training pairs to generate.")
    int pairCount;

    @Option(names = "--noise", defaultValue = "0.1", description = "Share of generated labels flipped.")
    double noise;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the generator and of training.")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = Progress.forConsole(spec.commandLine().getErr());
        List<PreferencePair> train = new SyntheticPreferences(seed, noise).pairs(pairCount);
        List<PreferencePair> test = new SyntheticPreferences(seed + 1, 0).pairs(500);
        out.printf("1. generated %d training pairs (%.0f%% label noise) and 500 clean test pairs%n", train.size(),
                noise * 100);
        Path modelDir = workDir.resolve("model");
        TrainRequest request = new TrainRequest(train, 0, "synthetic (seed " + seed + ")",
                EncoderSource.resolve(EncoderSource.DEFAULT), FeatureLayout.SEPARATE, 256, 0.1,
                TrainingOptions.defaults(seed), "rewardstream-demo", 1, 0);
        TrainingOutcome trained = OfflineTrainer.train(request, modelDir, progress.forTraining());
        progress.finishLine();
        out.printf("2. trained %s: validation accuracy %.3f, written to %s%n", trained.metadata().name(),
                trained.validation().accuracy(), modelDir);
        try (RewardModel model = RewardModel.load(modelDir, 0)) {
            EncodedPairs encoded = EncodedPairs.encode(model.extractor(), test, (d, t) -> { });
            PairwiseMetrics m = RewardPairs.evaluate(model.head(), encoded.features(), model.metadata().temperature());
            out.printf("3. test accuracy %.3f (shorter wins %.3f, longer wins %.3f), ECE %.3f, length correlation %.3f%n",
                    m.accuracy(), LengthRule.accuracy(encoded.pairs(), LengthRule.SHORTER),
                    LengthRule.accuracy(encoded.pairs(), LengthRule.LONGER),
                    m.ece(), m.lengthCorrelation());
            List<PromptResponse> rollouts = rollouts();
            List<RewardModel.Score> scores = model.score(rollouts);
            out.println("4. rewards of a few rollouts:");
            for (int i = 0; i < rollouts.size(); i++) {
                out.printf("   %+.3f  %s -> %s%n", scores.get(i).normalized(), rollouts.get(i).prompt(),
                        rollouts.get(i).response());
            }
            Path onnx = workDir.resolve("export").resolve("reward-model.onnx");
            ModelExport.write(modelDir, onnx);
            try (ExportRunner exported = ExportRunner.load(onnx)) {
                float[] rewards = exported.rewards(rollouts);
                double worst = 0;
                for (int i = 0; i < rewards.length; i++) {
                    worst = Math.max(worst, Math.abs(rewards[i] - scores.get(i).reward()));
                }
                out.printf("5. exported %s; its rewards differ from the Java path by at most %.2e%n", onnx, worst);
            }
        }
        out.flush();
        return Main.OK;
    }

    private List<PromptResponse> rollouts() {
        SyntheticPreferences generator = new SyntheticPreferences(seed + 2, 0);
        List<PromptResponse> items = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String[] pr = generator.promptAndResponse();
            items.add(new PromptResponse(pr[0], pr[1]));
        }
        return items;
    }
}
