package io.rewardstream.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One role run from the jar as a separate process ({@code java -jar rewardstream.jar run ...}), as an orchestrator
 * runs it: SIGKILL ({@link #kill}) and SIGTERM ({@link #terminate}) are the two ways it is ended.
 */
final class RoleProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private RoleProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code jar} with {@code args}, its output appended to {@code workDir/name.log}. */
    static RoleProcess start(Path jar, Path workDir, String name, Map<String, String> env, List<String> args) {
        try {
            Files.createDirectories(workDir);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xss16m", "-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log"), "-jar",
                    jar.toString()));
            command.addAll(args);
            Path log = workDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new RoleProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " from " + jar, e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no close, no commit; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM; @return the exit code, or -1 when it has not ended within {@code seconds} (it is then killed) */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    /** The exit code once ended, or empty while running. */
    Integer exitCode() {
        return process.isAlive() ? null : process.exitValue();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
