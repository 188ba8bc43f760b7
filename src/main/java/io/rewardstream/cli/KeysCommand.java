package io.rewardstream.cli;

import io.rewardstream.common.BadInputException;
import io.rewardstream.config.ConfigKeys;
import io.rewardstream.signing.SigningKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keys}: makes the Ed25519 key pair that signs releases (trainer) and verifies them (scorers). */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Write a new Ed25519 key pair for release signatures: release-signing.key (the private key,"
                + " readable by its owner only; give it to the trainer as " + ConfigKeys.RELEASES_SIGNING_KEY + ")"
                + " and release-signing.pub (the public key; give it to every scorer as "
                + ConfigKeys.RELEASES_VERIFY_KEY + ").",
            "Both are PEM files as OpenSSL writes them (openssl genpkey -algorithm ed25519 makes the same kind)."})
final class KeysCommand implements Callable<Integer> {

    static final String PRIVATE_FILE = "release-signing.key";
    static final String PUBLIC_FILE = "release-signing.pub";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the two files to.")
    Path out;

    @Override
    public Integer call() throws IOException {
        KeyPair pair = SigningKeys.generate();
        Files.createDirectories(out);
        Path privateFile = out.resolve(PRIVATE_FILE);
        Path publicFile = out.resolve(PUBLIC_FILE);
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new BadInputException(file + " exists already; remove it or choose another --out");
            }
        }
        try {
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(privateFile);
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException(privateFile + " exists already");
        }
        Files.writeString(privateFile, SigningKeys.pem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.writeString(publicFile, SigningKeys.pem(pair.getPublic()), StandardCharsets.US_ASCII);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("wrote " + privateFile + " (private: the trainer's " + ConfigKeys.RELEASES_SIGNING_KEY + ")");
        stdout.println("wrote " + publicFile + " (public: each scorer's " + ConfigKeys.RELEASES_VERIFY_KEY + ")");
        stdout.println("key id " + SigningKeys.id(pair.getPublic()));
        stdout.flush();
        return Main.OK;
    }
}
