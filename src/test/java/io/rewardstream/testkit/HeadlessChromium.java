package io.rewardstream.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, as the browser tests drive it: each call starts a fresh browser with an empty profile
 * and no background traffic, lets the page's scripts run for a while of virtual time, then prints the DOM or saves a
 * screenshot. Where Chromium lives: {@code $CHROMIUM}, else {@code /usr/bin/chromium} or {@code chromium-browser}.
 */
public final class HeadlessChromium {

    private final Path binary;
    private final Path profiles;

    private HeadlessChromium(Path binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    /** The browser, or empty where none is installed. */
    public static Optional<HeadlessChromium> find(Path profiles) {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("CHROMIUM") != null) {
            candidates.add(System.getenv("CHROMIUM"));
        }
        candidates.addAll(List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"));
        return candidates.stream().map(File::new).filter(File::canExecute).findFirst()
                .map(f -> new HeadlessChromium(f.toPath(), profiles));
    }

    /** The DOM of {@code url} after its scripts ran for {@code budgetMillis} of virtual time. */
    public String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
        Path out = Files.createTempFile(profiles, "dom", ".html");
        run(out, List.of("--dump-dom", "--virtual-time-budget=" + budgetMillis, url));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Saves a PNG of {@code url} in a {@code width} x {@code height} window to {@code png}. */
    public void screenshot(String url, int width, int height, int budgetMillis, Path png)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(profiles.resolve("screenshot.log"), List.of("--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height, "--hide-scrollbars",
                "--virtual-time-budget=" + budgetMillis, url));
        if (!Files.isRegularFile(png)) {
            throw new IOException("Chromium wrote no screenshot to " + png);
        }
    }

    private void run(Path stdout, List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "profile");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--user-data-dir=" + profile));
        command.addAll(args);
        Path log = Files.createTempFile(profiles, "chromium", ".log");
        Process browser = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(log.toFile())
                .start();
        if (!browser.waitFor(2, TimeUnit.MINUTES)) {
            browser.destroyForcibly();
            throw new IOException("Chromium did not finish within 2 minutes; its log: " + log);
        }
        if (browser.exitValue() != 0) {
            throw new IOException("Chromium exited with " + browser.exitValue() + ": "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
