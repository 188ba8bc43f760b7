package io.rewardstream.artifacts;

import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.encoder.EncoderSource;

/**
 * The encoder a release names: a built-in one, or a trained one read from the artifacts topic with its tokenizer
 * (from the artifacts topic too, or the built-in encoder {@code tokenizer_ref} names). The scorer and the trainer
 * both resolve releases this way; checking the encoder against the release's sha256 is left to the caller.
 */
public final class ReleaseEncoders {

    private static final String BUILTIN_REF = "builtin:";

    private ReleaseEncoders() {
    }

    /**
     * @param artifacts reads trained encoders; null where none can be read (releases must then be built in)
     * @throws ArtifactException when the encoder is neither built in nor readable from the artifacts
     */
    public static EncoderSource resolve(EncoderIdentity identity, ArtifactSource artifacts) {
        if (identity.getOnnxArtifact() == null) {
            if (!EncoderSource.BUILTIN.contains(identity.getName())) {
                throw new ArtifactException("encoder '" + identity.getName() + "' is not built in "
                        + EncoderSource.BUILTIN + " and the release carries no artifact for it");
            }
            return EncoderSource.resolve(identity.getName());
        }
        if (artifacts == null) {
            throw new ArtifactException("its trained encoder travels on the artifacts topic, which is not read here");
        }
        byte[] onnx = artifacts.read(identity.getOnnxArtifact());
        return new EncoderSource(identity.getName(), false, onnx, tokenizer(identity, artifacts));
    }

    /** {@code builtin:NAME} for a built-in tokenizer, the form {@code tokenizer_ref} takes. */
    public static String builtinRef(String name) {
        return BUILTIN_REF + name;
    }

    private static byte[] tokenizer(EncoderIdentity identity, ArtifactSource artifacts) {
        if (identity.getTokenizerArtifact() != null) {
            return artifacts.read(identity.getTokenizerArtifact());
        }
        String ref = identity.getTokenizerRef();
        if (ref != null && ref.startsWith(BUILTIN_REF)
                && EncoderSource.BUILTIN.contains(ref.substring(BUILTIN_REF.length()))) {
            return EncoderSource.resolve(ref.substring(BUILTIN_REF.length())).tokenizerJson();
        }
        throw new ArtifactException("its trained encoder names no tokenizer that can be found (tokenizer_ref " + ref
                + ", no tokenizer_artifact)");
    }
}
