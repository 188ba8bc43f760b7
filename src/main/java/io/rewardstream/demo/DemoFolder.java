package io.rewardstream.demo;

import io.rewardstream.common.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder a demo keeps its broker and state in: a new temporary one, removed when the demo closes it, or the
 * user's {@code --work-dir}, which must be empty (the demo formats a new broker there) and is kept.
 */
final class DemoFolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFolder.class);

    private final Path path;
    private final boolean temporary;

    private DemoFolder(Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /** @param dir the user's folder, or null for a temporary one */
    static DemoFolder open(Path dir) {
        return dir == null ? new DemoFolder(temporaryFolder(), true) : new DemoFolder(emptyFolder(dir), false);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try {
            Utils.delete(path.toFile());
        } catch (IOException e) {
            LOG.warn("Could not remove the demo folder {}: {}", path, e.toString());
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("rewardstream-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the demo", e);
        }
    }

    private static Path emptyFolder(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new BadInputException("--work-dir " + dir + " is not empty; the demo formats a new"
                                + " broker there, so give it an empty or new folder");
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("--work-dir " + dir + " cannot be used: " + e.getMessage());
        }
    }
}
