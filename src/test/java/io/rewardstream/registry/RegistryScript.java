package io.rewardstream.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Drives scripts/registry.sh for integration tests: one instance per state directory and port. */
final class RegistryScript {

    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));

    private final Path stateDir;
    private final int port;

    RegistryScript(Path stateDir, int port) {
        this.stateDir = stateDir;
        this.port = port;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the registry and returns its Confluent-compatible URL; fails with the script's output. */
    String start() {
        String out = run("start");
        String prefix = "export SCHEMA_REGISTRY_URL=";
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new IllegalStateException("scripts/registry.sh start printed no URL: " + out));
    }

    void stop() {
        run("stop");
    }

    private String run(String action) {
        try {
            Files.createDirectories(stateDir);
            Path errors = stateDir.resolve("script-" + action + ".err");
            ProcessBuilder builder = new ProcessBuilder("bash", PROJECT.resolve("scripts/registry.sh").toString(), action)
                    .redirectError(errors.toFile());
            builder.environment().put("REGISTRY_PORT", Integer.toString(port));
            builder.environment().put("REGISTRY_STATE_DIR", stateDir.toString());
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/registry.sh " + action + " failed (port " + port + "): "
                        + Files.readString(errors));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run scripts/registry.sh " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running scripts/registry.sh " + action, e);
        }
    }
}
