package io.rewardstream.encoder;

import io.rewardstream.runtime.Device;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open encoders shared by identity: every model whose encoder has the same sha256 (on the same device, with the
 * same threads) uses one {@link TextEncoder}, so a scorer that swaps releases of a frozen encoder keeps one session
 * and loads no encoder per release. Each user holds a {@link Lease}; the encoder closes when its last lease does,
 * as {@code ModelLease} does for whole models. Thread-safe.
 */
public final class EncoderPool {

    private static final Logger LOG = LoggerFactory.getLogger(EncoderPool.class);

    private record Key(String sha256, int threads, Device device, Precision precision) {
    }

    private static final class Entry {
        final TextEncoder encoder;
        int leases;

        Entry(TextEncoder encoder) {
            this.encoder = encoder;
        }
    }

    private final Map<Key, Entry> open = new HashMap<>();

    /** One user's hold on a shared encoder; closing it releases the hold (once). */
    public final class Lease implements AutoCloseable {
        private final Key key;
        private final TextEncoder encoder;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(Key key, TextEncoder encoder) {
            this.key = key;
            this.encoder = encoder;
        }

        public TextEncoder encoder() {
            return encoder;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(key);
            }
        }
    }

    /** The open fp32 encoder for {@code source}, loading it when no lease holds one. */
    public Lease acquire(EncoderSource source, int threads, Device device) {
        return acquire(source, threads, device, Precision.FP32);
    }

    /** The open encoder for {@code source} at {@code precision}, loading it when no lease holds one. */
    public Lease acquire(EncoderSource source, int threads, Device device, Precision precision) {
        Key key = new Key(source.sha256(), threads, device, precision);
        synchronized (open) {
            Entry entry = open.get(key);
            if (entry == null) {
                entry = new Entry(TextEncoder.load(source, threads, TextEncoder.DEFAULT_BATCH_SIZE, device,
                        precision));
                open.put(key, entry);
            } else {
                LOG.debug("Sharing the open encoder {} (sha256 {})", source.name(), source.sha256().substring(0, 12));
            }
            entry.leases++;
            return new Lease(key, entry.encoder);
        }
    }

    /** Distinct encoders open now. */
    public int openEncoders() {
        synchronized (open) {
            return open.size();
        }
    }

    private void release(Key key) {
        TextEncoder closing = null;
        synchronized (open) {
            Entry entry = open.get(key);
            if (entry != null && --entry.leases == 0) {
                open.remove(key);
                closing = entry.encoder;
            }
        }
        if (closing != null) {
            LOG.info("Closing encoder {}: no model uses it", closing.source().name());
            closing.close();
        }
    }
}
