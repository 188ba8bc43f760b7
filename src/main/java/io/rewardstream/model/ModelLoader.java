package io.rewardstream.model;

import io.rewardstream.encoder.EncoderPool;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.encoder.Precision;
import io.rewardstream.head.HeadWeights;
import io.rewardstream.head.RewardHead;
import io.rewardstream.onnx.HeadOnnx;
import io.rewardstream.runtime.Device;
import java.nio.file.Path;

/**
 * The one way a model is loaded and verified, whether it comes from a model directory (the offline commands, the
 * scorer's {@code --model}) or from a release on the models topic: the head's bytes are checked against their
 * recorded sha256 and parsed as a head graph, the encoder against the sha256 the head was trained on, and the
 * encoder is taken from an {@link EncoderPool}, so models that share an encoder share its session. Nothing is left
 * open when a check fails.
 */
public final class ModelLoader {

    private final EncoderPool encoders;
    private final int threads;
    private final Device device;
    private final Precision precision;
    private final PromptCache prompts;

    /** @param threads ONNX Runtime intra-op threads of the encoder (0: the runtime's default) */
    public ModelLoader(EncoderPool encoders, int threads, Device device) {
        this(encoders, threads, device, Precision.FP32, PromptCache.NONE);
    }

    /**
     * @param precision what the encoders run in on a CPU
     * @param prompts   the prompt vectors every model opened here shares (keyed by encoder identity)
     */
    public ModelLoader(EncoderPool encoders, int threads, Device device, Precision precision, PromptCache prompts) {
        this.encoders = encoders;
        this.threads = threads;
        this.device = device;
        this.precision = precision;
        this.prompts = prompts;
    }

    /** A model's parts, verified: the head's checksum and graph, the encoder's checksum. */
    public record Parts(String what, ModelMetadata metadata, HeadWeights head, EncoderSource encoder) {
    }

    /** Loads a model directory written by {@link ModelDirectory#write}. */
    public RewardModel load(Path dir) {
        return open(verify(dir));
    }

    /** Reads and verifies a model directory without opening its encoder (for an export, say). */
    public static Parts verify(Path dir) {
        String what = dir.toString();
        ModelMetadata metadata = ModelDirectory.readMetadata(dir);
        HeadWeights head = verifiedHead(what, ModelDirectory.readHeadBytes(dir, metadata), metadata.head().sha256(),
                metadata.head().file() + " in " + ModelDirectory.METADATA);
        EncoderSource encoder = verifiedEncoder(what, ModelDirectory.encoderOf(dir, metadata),
                metadata.encoder().sha256());
        return new Parts(what, metadata, head, encoder);
    }

    /**
     * The head graph in {@code bytes}, once they match {@code expectedSha256}.
     *
     * @param what       names the model in error messages
     * @param headRecord the head's name where its sha256 was recorded, named in the error
     * @throws ModelFormatException when the checksum differs, the bytes are not a head graph, or a weight is NaN or
     *                              infinite (such a head would give every response a NaN reward)
     */
    public static HeadWeights verifiedHead(String what, byte[] bytes, String expectedSha256, String headRecord) {
        String sha = EncoderSource.sha256(bytes);
        if (!sha.equals(expectedSha256)) {
            throw new ModelFormatException(what + ": " + headRecord + " has sha256 " + sha
                    + ", which does not match its sha256 " + expectedSha256);
        }
        HeadWeights head;
        try {
            head = HeadOnnx.read(bytes);
        } catch (RuntimeException e) {
            throw new ModelFormatException(what + ": " + headRecord + " is not a head graph: " + e.getMessage());
        }
        for (int l = 0; l < head.layers().size(); l++) {
            var layer = head.layers().get(l);
            String bad = nonFinite(layer.weights(), "weight");
            bad = bad != null ? bad : nonFinite(layer.bias(), "bias");
            if (bad != null) {
                throw new ModelFormatException(what + ": " + headRecord + " has a non-finite " + bad + " in layer "
                        + l);
            }
        }
        return head;
    }

    private static String nonFinite(float[] values, String kind) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return kind + " (" + values[i] + " at index " + i + ")";
            }
        }
        return null;
    }

    /**
     * {@code encoder}, once it is the one the head was trained on.
     *
     * @throws ModelFormatException when its sha256 differs from {@code expectedSha256}
     */
    public static EncoderSource verifiedEncoder(String what, EncoderSource encoder, String expectedSha256) {
        if (!encoder.sha256().equals(expectedSha256)) {
            throw new ModelFormatException(what + ": encoder " + encoder.name() + " here has sha256 " + encoder.sha256()
                    + " but the head was trained on " + expectedSha256);
        }
        return encoder;
    }

    /**
     * Opens verified parts: the encoder from the pool, the feature extractor, the head.
     *
     * @throws ModelFormatException when the head's width does not fit the encoder's features
     */
    public RewardModel open(Parts parts) {
        EncoderPool.Lease lease = encoders.acquire(parts.encoder(), threads, device, precision);
        try {
            FeatureExtractor extractor = new FeatureExtractor(lease.encoder(),
                    parts.metadata().features().featureLayout(), parts.metadata().maxLength(), prompts);
            return new RewardModel(parts.metadata(), extractor, new RewardHead(parts.head()), lease);
        } catch (ModelFormatException e) {
            lease.close();
            throw new ModelFormatException(parts.what() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }
}
