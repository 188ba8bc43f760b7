package io.rewardstream.scorer.release;

import io.rewardstream.artifacts.ArtifactException;
import io.rewardstream.artifacts.ArtifactReader;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.encoder.EncoderSource;
import io.rewardstream.model.ModelFormatException;

/**
 * The encoder a release names: a built-in one, or a trained one read from the artifacts topic with its tokenizer
 * (from the artifacts topic too, or the built-in encoder {@code tokenizer_ref} names). Checking the encoder against
 * the release's sha256 is left to {@code ModelLoader}.
 */
final class ReleaseEncoders {

    private static final String BUILTIN_REF = "builtin:";

    private final ArtifactReader artifacts;

    /** @param artifacts reads trained encoders; null where none can be read (releases must then be built in) */
    ReleaseEncoders(ArtifactReader artifacts) {
        this.artifacts = artifacts;
    }

    EncoderSource resolve(String what, EncoderIdentity identity) {
        if (identity.getOnnxArtifact() == null) {
            if (!EncoderSource.BUILTIN.contains(identity.getName())) {
                throw new ModelFormatException(what + ": encoder '" + identity.getName() + "' is not built in "
                        + EncoderSource.BUILTIN + " and the release carries no artifact for it");
            }
            return EncoderSource.resolve(identity.getName());
        }
        if (artifacts == null) {
            throw new ModelFormatException(what + ": its trained encoder travels on the artifacts topic, which this"
                    + " scorer does not read");
        }
        try {
            byte[] onnx = artifacts.read(identity.getOnnxArtifact());
            return new EncoderSource(identity.getName(), false, onnx, tokenizer(what, identity));
        } catch (ArtifactException e) {
            throw new ModelFormatException(what + ": " + e.getMessage());
        }
    }

    private byte[] tokenizer(String what, EncoderIdentity identity) {
        if (identity.getTokenizerArtifact() != null) {
            return artifacts.read(identity.getTokenizerArtifact());
        }
        String ref = identity.getTokenizerRef();
        if (ref != null && ref.startsWith(BUILTIN_REF)
                && EncoderSource.BUILTIN.contains(ref.substring(BUILTIN_REF.length()))) {
            return EncoderSource.resolve(ref.substring(BUILTIN_REF.length())).tokenizerJson();
        }
        throw new ModelFormatException(what + ": its trained encoder names no tokenizer this scorer can find"
                + " (tokenizer_ref " + ref + ", no tokenizer_artifact)");
    }
}
