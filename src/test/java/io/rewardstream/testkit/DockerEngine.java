package io.rewardstream.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine as the container tests use it, through the {@code docker} command line: whether one answers,
 * whether an image is there, and Compose (v2's {@code docker compose} where installed, else v1's
 * {@code docker-compose}).
 */
public final class DockerEngine {

    /** What a command printed and how it ended. */
    public record Result(int exit, String output) {
    }

    private DockerEngine() {
    }

    /** True when {@code docker info} answers within 20 s. */
    public static boolean running() {
        try {
            return run(List.of("docker", "info"), Map.of(), null, 20).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean hasImage(String image) {
        try {
            return run(List.of("docker", "image", "inspect", image), Map.of(), null, 20).exit() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The Compose command of this machine: {@code docker compose} (v2) or {@code docker-compose} (v1). */
    public static Optional<List<String>> compose() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                if (run(version, Map.of(), null, 20).exit() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // not installed
            }
        }
        return Optional.empty();
    }

    /** Runs {@code command} with {@code env} added, in {@code dir} (null: here), for at most {@code seconds}. */
    public static Result run(List<String> command, Map<String, String> env, Path dir, long seconds)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        Path log = Files.createTempFile("docker", ".log");
        builder.redirectOutput(log.toFile());
        Process p = builder.start();
        try {
            boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return done ? new Result(p.exitValue(), out) : new Result(-1, out + "\n(timed out after " + seconds + " s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
