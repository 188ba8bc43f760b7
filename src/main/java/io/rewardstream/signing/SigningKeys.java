package io.rewardstream.signing;

import io.rewardstream.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys for release signatures, in the PEM files OpenSSL writes and reads ({@code openssl genpkey -algorithm
 * ed25519} gives the private key, {@code openssl pkey -pubout} its public key): PKCS#8 "PRIVATE KEY" and X.509
 * "PUBLIC KEY". A key's id is the first 16 hex digits of the SHA-256 of its public key's X.509 encoding.
 */
public final class SigningKeys {

    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private SigningKeys() {
    }

    /** A new key pair from the JDK's Ed25519 provider. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM offers no Ed25519 keys", e);
        }
    }

    /** @throws ConfigException naming {@code key} and the file when it is not an Ed25519 PKCS#8 PEM private key */
    public static PrivateKey readPrivate(Path file, String key) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pem(file, PRIVATE, key)));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, file + " is not an Ed25519 private key: " + e.getMessage());
        }
    }

    /** @throws ConfigException naming {@code key} and the file when it is not an Ed25519 X.509 PEM public key */
    public static PublicKey readPublic(Path file, String key) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(pem(file, PUBLIC, key)));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, file + " is not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** The key as a PKCS#8 PEM block, as {@link #readPrivate} reads it. */
    public static String pem(PrivateKey key) {
        return pem(PRIVATE, key.getEncoded());
    }

    /** The key as an X.509 PEM block, as {@link #readPublic} reads it. */
    public static String pem(PublicKey key) {
        return pem(PUBLIC, key.getEncoded());
    }

    /** First 16 hex digits of the SHA-256 of the key's X.509 encoding. */
    public static String id(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(Path file, String type, String key) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new ConfigException(key, file + " holds no PEM block '" + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, file + " has a PEM block that is not base64: " + e.getMessage());
        }
    }
}
