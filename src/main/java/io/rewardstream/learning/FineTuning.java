package io.rewardstream.learning;

import io.rewardstream.learning.finetune.Checkpoint;
import io.rewardstream.learning.finetune.FineTuneRecipe;
import java.util.function.BooleanSupplier;

/**
 * How an offline run trains the encoder itself (absent: a head on the frozen encoder's cached features).
 *
 * @param recipe     what trains and how
 * @param checkpoint where the run keeps the state it resumes from ({@link Checkpoint#none()} for none)
 * @param stop       true once the user asks the run to stop; it then writes its checkpoint and returns
 * @param threads    PyTorch threads (0: its default)
 */
public record FineTuning(FineTuneRecipe recipe, Checkpoint checkpoint, BooleanSupplier stop, int threads) {
}
