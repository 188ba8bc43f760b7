package io.rewardstream.common;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing what a process opened, last opened first, so that nothing is closed before what depends on it. */
public final class Closeables {

    private static final Logger LOG = LoggerFactory.getLogger(Closeables.class);

    private Closeables() {
    }

    /** Closes each of {@code open} in reverse order, logging (not throwing) a failure, and empties the list. */
    public static void closeAll(List<? extends AutoCloseable> open) {
        synchronized (open) {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    LOG.warn("Closing {} failed", open.get(i), e);
                }
            }
            open.clear();
        }
    }
}
