package io.rewardstream.trainer.retrain;

import io.rewardstream.data.PreferencePair;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.head.Activation;
import io.rewardstream.head.DenseLayer;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.learning.finetune.Checkpoint;
import io.rewardstream.learning.finetune.EncoderTraining;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import io.rewardstream.learning.finetune.FineTuneRun;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's fine-tunes through the recipe {@code train} uses for the same encoder
 * ({@link FineTuneRecipe#defaultsFor}), with the trainer's choice of what trains, its token limit and its seed. Every
 * fine-tune starts from the base encoder, so one does not inherit the drift of the last.
 */
public final class RecipeFineTuner implements EncoderFineTuner {

    private static final Logger LOG = LoggerFactory.getLogger(RecipeFineTuner.class);

    private final EncoderSource base;
    private final FineTuneRecipe recipe;
    private final int threads;

    private RecipeFineTuner(EncoderSource base, FineTuneRecipe recipe, int threads) {
        this.base = base;
        this.recipe = recipe;
        this.threads = threads;
    }

    /**
     * @param training  what of the encoder trains: full or top-N (training.encoder-training)
     * @param maxLength token limit of a joint sequence (encoder.max-length)
     * @param threads   PyTorch threads of the run
     */
    public static RecipeFineTuner of(EncoderSource base, String training, int maxLength, long seed, int threads) {
        FineTuneRecipe recipe = FineTuneRecipe.defaultsFor(base.name()).withTraining(EncoderTraining.parse(training))
                .withMaxLength(maxLength).withSeed(seed);
        return new RecipeFineTuner(base, recipe, threads);
    }

    @Override
    public FineTuned fineTune(List<PairTexts> train, List<PairTexts> validation, BooleanSupplier stop) {
        LOG.info("Fine-tuning {} ({}) on {} pairs, {} for validation", base.name(), recipe.difference(),
                train.size(), validation.size());
        FineTuneRun.Result result = FineTuneRun.train(base, pairs(train), pairs(validation), recipe, threads,
                FineTuneRun.Listener.NONE, Checkpoint.none(), stop);
        HeadWeights head = new HeadWeights(List.of(new DenseLayer(result.headWeights().length, 1,
                result.headWeights(), new float[] {result.headBias()})), Activation.NONE);
        LOG.info("Fine-tune done in {} s (best epoch {})", Math.round(result.seconds()), result.bestEpoch());
        return new FineTuned(result.encoder(), head);
    }

    private static List<PreferencePair> pairs(List<PairTexts> texts) {
        return texts.stream().map(t -> new PreferencePair(t.prompt(), t.chosen(), t.rejected(), Double.NaN)).toList();
    }
}
