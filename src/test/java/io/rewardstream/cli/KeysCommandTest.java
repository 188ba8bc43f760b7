package io.rewardstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardstream.config.ConfigException;
import io.rewardstream.config.ConfigLoader;
import io.rewardstream.config.RewardStreamConfig;
import io.rewardstream.head.FeatureLayout;
import io.rewardstream.model.ModelFixtures;
import io.rewardstream.scorer.ModelSource;
import io.rewardstream.scorer.ScorerConfig;
import io.rewardstream.scorer.release.Releases;
import io.rewardstream.trainer.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key pair {@code keys} writes, read back through the configuration as the trainer and the scorers read it. */
class KeysCommandTest {

    @TempDir
    Path temp;

    private RewardStreamConfig config(String key, String value) {
        return ConfigLoader.load(null, Map.of(), Map.of("kafka.bootstrap.servers", "localhost:9092",
                "schema.registry.url", "mock://keys", key, value));
    }

    @Test
    void shouldWriteAKeyPairWhoseReleasesTheScorersConfiguredKeyAccepts() throws Exception {
        // When
        CliRun run = CliRun.of("keys", "--out", temp.toString());

        // Then the private key is its owner's alone, and a release signed through the trainer's setting verifies
        // through the scorer's
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("release-signing.key").contains("release-signing.pub").contains("key id ");
        Path privateKey = temp.resolve(KeysCommand.PRIVATE_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey))).isEqualTo("rw-------");
        assertThat(Files.readString(privateKey)).startsWith("-----BEGIN PRIVATE KEY-----");
        var signer = TrainerConfig.signer(config("releases.signing-key", privateKey.toString()));
        ModelSource.Releases releases = ScorerConfig.releases(config("releases.verify-key",
                temp.resolve(KeysCommand.PUBLIC_FILE).toString()));
        var release = signer.sign(Releases.of(ModelFixtures.trained(FeatureLayout.SEPARATE), 3).build());
        assertThat(releases.verifier().problem(release)).isEmpty();
        assertThat(TrainerConfig.signer(config("model.name", "m"))).as("no key set: unsigned").isNull();
    }

    @Test
    void shouldRefuseToOverwriteKeysAndNameTheKeyOfAFileThatHoldsNoKey() throws Exception {
        // Given keys written once, and a public key file given where the private key belongs
        assertThat(CliRun.of("keys", "--out", temp.toString()).exitCode()).isZero();

        // When / Then
        CliRun again = CliRun.of("keys", "--out", temp.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("exists already");
        Path wrong = temp.resolve(KeysCommand.PUBLIC_FILE);
        assertThatThrownBy(() -> TrainerConfig.signer(config("releases.signing-key", wrong.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("releases.signing-key")
                .hasMessageContaining("holds no PEM block '-----BEGIN PRIVATE KEY-----'");
        assertThatThrownBy(() -> ScorerConfig.releases(config("releases.verify-key",
                temp.resolve("missing.pub").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("releases.verify-key")
                .hasMessageContaining("cannot read");
    }
}
