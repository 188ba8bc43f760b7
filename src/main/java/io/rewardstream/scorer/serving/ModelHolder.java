package io.rewardstream.scorer.serving;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model in service. A new model is loaded beside the current one and swapped in atomically; a batch takes
 * one {@link ModelLease} and so uses one version throughout; a model swapped out is closed once its last lease
 * ends. A model that fails to load is refused and the current one keeps serving. Once the holder is closed, a
 * model that arrives late (a release that was still loading) is closed at once instead of being put in service.
 */
public final class ModelHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);
    static final String NO_MODEL = "no reward model loaded yet";

    private final AtomicReference<ModelLease.Slot> current = new AtomicReference<>();
    private final List<Consumer<ScoringModel>> installListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> refusalListeners = new CopyOnWriteArrayList<>();
    private volatile String lastRefusal;
    private boolean closed;

    /** The current model for one batch, or empty before the first model. Close the lease when the batch is done. */
    public Optional<ModelLease> lease() {
        while (true) {
            ModelLease.Slot slot = current.get();
            if (slot == null) {
                return Optional.empty();
            }
            ModelLease lease = slot.tryLease();
            if (lease != null) {
                return Optional.of(lease);
            }
        }
    }

    /** Puts {@code model} in service; the previous model is closed after the calls in flight on it end. */
    public void install(ScoringModel model) {
        ModelLease.Slot previous;
        synchronized (this) {
            if (closed) {
                LOG.info("Not serving {} version {}: the scorer is shutting down", model.name(), model.version());
                model.close();
                return;
            }
            previous = current.getAndSet(new ModelLease.Slot(model));
        }
        if (previous == null) {
            LOG.info("Serving model {} version {}", model.name(), model.version());
        } else {
            LOG.info("Swapped model {} version {} for {} version {}", previous.model().name(),
                    previous.model().version(), model.name(), model.version());
            previous.release();
        }
        installListeners.forEach(listener -> listener.accept(model));
    }

    /**
     * Loads a model with {@code loader} and installs it; a failure is refused (logged, kept as the last refusal)
     * and leaves the current model serving.
     *
     * @return true when the new model is in service
     */
    public boolean tryInstall(String description, Supplier<ScoringModel> loader) {
        ScoringModel model;
        try {
            model = loader.get();
        } catch (RuntimeException e) {
            lastRefusal = description + " refused: " + e.getMessage();
            String refusal = lastRefusal;
            refusalListeners.forEach(listener -> listener.accept(refusal));
            LOG.warn("Refused {}: {}; {}", description, e.getMessage(),
                    current().map(m -> "still serving " + m.name() + " version " + m.version()).orElse(NO_MODEL));
            return false;
        }
        install(model);
        return true;
    }

    /** Called with each model installed from now on (and at once with the current one, if any). */
    public void onInstall(Consumer<ScoringModel> listener) {
        installListeners.add(listener);
        current().ifPresent(listener);
    }

    /** Called with the description of each model refused from now on. */
    public void onRefusal(Consumer<String> listener) {
        refusalListeners.add(listener);
    }

    /** The model in service, for display; use {@link #lease()} to score. */
    public Optional<ScoringModel> current() {
        return Optional.ofNullable(current.get()).map(ModelLease.Slot::model);
    }

    /** Empty when ready to score; otherwise why not. */
    public Optional<String> notReadyReason() {
        if (current.get() != null) {
            return Optional.empty();
        }
        String refusal = lastRefusal;
        return Optional.of(refusal == null ? NO_MODEL : NO_MODEL + " (last attempt: " + refusal + ")");
    }

    public Optional<String> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /** Takes the model out of service; it closes when the calls in flight end. */
    @Override
    public void close() {
        ModelLease.Slot previous;
        synchronized (this) {
            closed = true;
            previous = current.getAndSet(null);
        }
        if (previous != null) {
            previous.release();
        }
    }
}
