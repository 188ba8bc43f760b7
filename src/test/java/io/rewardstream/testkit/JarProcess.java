package io.rewardstream.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar target/rewardstream.jar ARGS} as a separate process, as users run it: its output in a log file,
 * its working directory (where a crashing JVM writes its {@code hs_err_pid*.log}) a folder of its own, environment
 * variables for the configuration. {@link #terminate} sends SIGTERM, {@link #kill} SIGKILL.
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Path workDir;

    private JarProcess(Process process, Path log, Path workDir) {
        this.process = process;
        this.log = log;
        this.workDir = workDir;
    }

    /** Starts the jar with {@code args} in {@code workDir} (created), logging to {@code workDir/name.log}. */
    public static JarProcess start(Path workDir, String name, Map<String, String> env, List<String> args)
            throws IOException {
        Path jar = Path.of(System.getProperty("rewardstream.jar", "target/rewardstream.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: the shaded jar is built in the package phase");
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xss16m", "-XX:ErrorFile=" + workDir.resolve("hs_err_pid%p.log"), "-jar",
                jar.toString()));
        command.addAll(args);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new JarProcess(builder.start(), log, workDir);
    }

    /** Environment variables for a role on {@code bootstrap} and {@code registryUrl}, on one broker. */
    public static Map<String, String> roleEnv(String bootstrap, String registryUrl, Path stateDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("REWARDSTREAM_SCHEMA_REGISTRY_URL", registryUrl);
        env.put("REWARDSTREAM_STATE_DIR", stateDir.toString());
        env.put("REWARDSTREAM_SCORING_DEVICE", "cpu");
        env.put("KAFKA_REPLICATION_FACTOR", "1");
        return env;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM; then waits up to {@code seconds} for the exit. @return the exit code, or -1 when still running */
    public int terminate(long seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits up to {@code seconds} for the process to end by itself. @return the exit code, or -1 */
    public int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    public Path log() {
        return log;
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** The JVM crash reports ({@code hs_err_pid*.log}) in the working directory. */
    public List<Path> crashReports() {
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
