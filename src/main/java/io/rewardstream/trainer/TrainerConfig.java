package io.rewardstream.trainer;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.config.KeyValues;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.runtime.Device;
import io.rewardstream.signing.ReleaseSigner;
import java.nio.file.Path;
import io.rewardstream.trainer.retrain.PromotionPolicy;

/** Reads the trainer's settings from the layered configuration (keys model.name, training.*, gate.*, ...). */
public final class TrainerConfig {

    private TrainerConfig() {
    }

    public static TrainerSettings settings(RewardStreamConfig config) {
        return settings(config.values());
    }

    static TrainerSettings settings(KeyValues v) {
        try {
            return new TrainerSettings(v.string("model.name"), v.duration("training.interval"),
                    v.integer("training.min-pairs"), v.integer("training.min-new-pairs"), v.duration("training.window"),
                    v.decimal("training.holdout-fraction"), v.integer("training.seed"), v.decimal("gate.tolerance"),
                    v.decimal("gate.min-accuracy"), v.duration("prequential.window"), v.duration("prequential.advance"),
                    v.decimal("drift.delta"), v.decimal("drift.lambda"), v.integer("drift.min-pairs"),
                    v.bool("drift.retrain"), v.integer("training.encode-batch"), v.duration("training.encode-linger"),
                    v.string("training.encoder-training"), v.duration("training.fine-tune-interval"),
                    device(v), v.integer(ConfigKeys.INPUT_MAX_TEXT_CHARS),
                    v.integer(ConfigKeys.TRAINING_MAX_PAIRS_PER_EVENT),
                    new PromotionPolicy(PromotionPolicy.Kind.parse("gate.policy", v.string("gate.policy")),
                            v.decimal("gate.min-gain"), v.decimal("gate.significance")));
        } catch (ConfigException e) {
            throw v.spelled(e);
        }
    }

    private static Device device(KeyValues v) {
        return v.parsed("training.device", text -> Device.parse("training.device", text),
                "not a device: use auto, cpu or cuda:N");
    }

    /**
     * The key releases are signed with ({@code releases.signing-key}, a PEM Ed25519 private key), or null when the
     * key is not set and releases go out unsigned.
     *
     * @throws ConfigException naming the key when the file cannot be read or holds no Ed25519 private key
     */
    public static ReleaseSigner signer(RewardStreamConfig config) {
        String file = config.values().string(ConfigKeys.RELEASES_SIGNING_KEY).strip();
        return file.isEmpty() ? null : ReleaseSigner.load(Path.of(file), ConfigKeys.RELEASES_SIGNING_KEY);
    }

    /** The encoder the trainer extracts features with (encoder.*). */
    public static EncoderSettings encoder(RewardStreamConfig config) {
        KeyValues v = config.values();
        try {
            return new EncoderSettings(v.string("encoder.name"), v.integer("encoder.max-length"),
                    v.integer("encoder.threads"));
        } catch (ConfigException e) {
            throw v.spelled(e);
        }
    }
}
