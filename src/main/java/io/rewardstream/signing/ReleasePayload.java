package io.rewardstream.signing;

import io.rewardstream.avro.ArtifactRef;
import io.rewardstream.avro.EncoderIdentity;
import io.rewardstream.avro.ModelRelease;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a release signature covers: every field of a {@code ModelRelease} except the signature itself, in a fixed
 * order and encoding, so that a verifier in any language can rebuild them (Avro's own encoding would not do: a map's
 * entries may come back in another order). The head is covered by the SHA-256 of the {@code head_onnx} bytes as
 * received (besides the {@code head_sha256} field), and a trained encoder by its sha256 and artifact references, which
 * the scorer checks against the bytes it reads. Layout (big-endian): the text {@value #DOMAIN}; then each field in
 * schema order, strings as a 4-byte length and UTF-8, longs and ints in 8 and 4 bytes, doubles as their IEEE bits,
 * optional values after a presence byte (0 absent, 1 present), the metadata map as a count and its entries sorted by
 * key.
 */
public final class ReleasePayload {

    static final String DOMAIN = "rewardstream.ModelRelease.v1";

    private ReleasePayload() {
    }

    public static byte[] of(ModelRelease r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            text(out, DOMAIN);
            text(out, r.getModelName());
            out.writeLong(r.getVersion());
            text(out, r.getStatus().name());
            optionalText(out, r.getStatusReason());
            out.writeLong(r.getCreatedAt().toEpochMilli());
            encoder(out, r.getEncoderIdentity());
            out.write(sha256(r.getHeadOnnx()));
            text(out, r.getHeadSha256());
            out.writeDouble(r.getNormalization().getMean());
            out.writeDouble(r.getNormalization().getStd());
            out.writeDouble(r.getCalibrationTemperature());
            out.writeLong(r.getTraining().getTrainPairs());
            out.writeLong(r.getTraining().getHeldoutPairs());
            out.writeLong(r.getTraining().getWindowStart().toEpochMilli());
            out.writeLong(r.getTraining().getWindowEnd().toEpochMilli());
            var e = r.getEvaluation();
            out.writeDouble(e.getAccuracy());
            out.writeDouble(e.getLogLoss());
            out.writeDouble(e.getEce());
            optionalDouble(out, e.getLengthCorrelation());
            optionalDouble(out, e.getStrengthCorrelation());
            optionalDouble(out, e.getLiveAccuracy());
            Map<String, String> metadata = new TreeMap<>(r.getMetadata() == null ? Map.of() : r.getMetadata());
            out.writeInt(metadata.size());
            for (var entry : metadata.entrySet()) {
                text(out, entry.getKey());
                text(out, entry.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void encoder(DataOutputStream out, EncoderIdentity id) throws IOException {
        text(out, id.getName());
        text(out, id.getOnnxSha256());
        out.writeInt(id.getMaxLength());
        text(out, id.getFeatureSpec());
        optionalText(out, id.getTokenizerRef());
        artifact(out, id.getOnnxArtifact());
        artifact(out, id.getTokenizerArtifact());
    }

    private static void artifact(DataOutputStream out, ArtifactRef ref) throws IOException {
        out.writeBoolean(ref != null);
        if (ref != null) {
            text(out, ref.getSha256());
            out.writeLong(ref.getSize());
            out.writeInt(ref.getParts());
            text(out, ref.getContentType());
        }
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void optionalText(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            text(out, value);
        }
    }

    private static void optionalDouble(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static byte[] sha256(ByteBuffer buffer) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(buffer.duplicate());
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
