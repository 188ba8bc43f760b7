package io.rewardstream.signing;

import io.rewardstream.avro.ModelRelease;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;

/**
 * Checks a release's Ed25519 signature against the one public key a scorer trusts ({@code releases.verify-key}). A
 * release without a signature, with a signature of another key, or changed in any signed field after signing is
 * refused. Thread-safe.
 */
public final class ReleaseVerifier {

    private final PublicKey key;
    private final String where;

    /** @param where names the key in refusals, e.g. "the key in /etc/rewardstream/release.pub (id 3f2a...)" */
    public ReleaseVerifier(PublicKey key, String where) {
        this.key = key;
        this.where = where;
    }

    /** @param configKey the configuration key that named the file, for error messages */
    public static ReleaseVerifier load(Path publicKey, String configKey) {
        PublicKey key = SigningKeys.readPublic(publicKey, configKey);
        return new ReleaseVerifier(key, "the key in " + publicKey + " (id " + SigningKeys.id(key) + ", "
                + configKey + ")");
    }

    /** Empty when the release carries a valid signature by the trusted key; otherwise why it is refused. */
    public Optional<String> problem(ModelRelease release) {
        ByteBuffer signature = release.getSignature();
        if (signature == null || !signature.hasRemaining()) {
            return Optional.of("it is not signed, and this scorer serves only releases signed with " + where);
        }
        byte[] bytes = new byte[signature.remaining()];
        signature.duplicate().get(bytes);
        try {
            Signature check = Signature.getInstance(SigningKeys.ALGORITHM);
            check.initVerify(key);
            check.update(ReleasePayload.of(release));
            if (check.verify(bytes)) {
                return Optional.empty();
            }
        } catch (GeneralSecurityException e) {
            return Optional.of("its signature cannot be checked (" + e.getMessage() + ") with " + where);
        }
        return Optional.of("its signature does not verify with " + where
                + ": it was signed with another key or changed after signing");
    }
}
