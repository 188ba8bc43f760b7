package io.rewardstream.signing;

import io.rewardstream.avro.ModelRelease;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/** Signs releases with the trainer's Ed25519 private key ({@code releases.signing-key}). Thread-safe. */
public final class ReleaseSigner {

    private final PrivateKey key;

    public ReleaseSigner(PrivateKey key) {
        this.key = key;
    }

    /** @param configKey the configuration key that named the file, for error messages */
    public static ReleaseSigner load(Path privateKey, String configKey) {
        return new ReleaseSigner(SigningKeys.readPrivate(privateKey, configKey));
    }

    /** Sets {@code release}'s {@code signature} over {@link ReleasePayload#of} and returns it. */
    public ModelRelease sign(ModelRelease release) {
        try {
            Signature signature = Signature.getInstance(SigningKeys.ALGORITHM);
            signature.initSign(key);
            signature.update(ReleasePayload.of(release));
            release.setSignature(ByteBuffer.wrap(signature.sign()));
            return release;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing release " + release.getModelName() + " version "
                    + release.getVersion() + " failed: " + e.getMessage(), e);
        }
    }
}
