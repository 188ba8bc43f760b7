package io.rewardstream.trainer.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardstream.avro.ModelRelease;
import io.rewardstream.deadletter.DeadLetterMeter;
import io.rewardstream.status.Chart;
import io.rewardstream.status.Deltas;
import io.rewardstream.status.StatusSource;
import io.rewardstream.streams.RecordMeters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The trainer's part of the status page: the live model's card, the training figures, and plots of held-out and
 * prequential accuracy (promotions, rejections and drift alerts marked), preferences read per second, training
 * pairs stored, the conflict rate, consumer lag on the preferences topic and dead letters by stage.
 */
public final class TrainerStatus implements StatusSource {

    private static final String ROLE = "trainer";

    private final TrainerMeters meters;
    private final MeterRegistry registry;
    private final String preferencesTopic;
    private final Supplier<Readiness> readiness;
    private final Supplier<String> streamState;
    private final DoubleSupplier lag;
    private final Deltas deltas = new Deltas();

    /**
     * @param readiness   whether the trainer is ready and why not
     * @param streamState the Kafka Streams client's state, in words
     * @param lag         records the trainer's consumers are behind on the preferences topic
     */
    public TrainerStatus(TrainerMeters meters, MeterRegistry registry, String preferencesTopic,
                         Supplier<Readiness> readiness, Supplier<String> streamState, DoubleSupplier lag) {
        this.meters = meters;
        this.registry = registry;
        this.preferencesTopic = preferencesTopic;
        this.readiness = readiness;
        this.streamState = streamState;
        this.lag = lag;
    }

    @Override
    public String name() {
        return ROLE;
    }

    @Override
    public Readiness readiness() {
        return readiness.get();
    }

    @Override
    public Map<String, Map<String, Object>> cards() {
        Map<String, Map<String, Object>> cards = new LinkedHashMap<>();
        ModelRelease live = meters.live();
        cards.put("Live model (trainer)", live == null ? Map.of("model", "none yet") : ReleaseCard.of(live));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("stream state", streamState.get());
        training.put("preferences read", (long) preferencesRead());
        training.put("training pairs stored", meters.stored());
        training.put("models promoted", (long) meters.promotions());
        training.put("candidates not promoted", (long) meters.rejections());
        training.put("drift alerts", (long) meters.driftAlerts());
        training.put("prequential accuracy", Double.isNaN(meters.prequential()) ? "no window yet"
                : String.format(Locale.ROOT, "%.3f over %d pairs", meters.prequential(), meters.prequentialPairs()));
        training.put("conflicting judgments", Double.isNaN(meters.conflictRate()) ? "none measured yet"
                : String.format(Locale.ROOT, "%.1f %%", 100 * meters.conflictRate()));
        training.put("consumer lag on preferences", (long) lag.getAsDouble());
        training.put("dead letters", (long) deadLettersByStage().values().stream().mapToDouble(d -> d).sum());
        if (meters.lastRejection() != null) {
            training.put("last candidate not promoted", meters.lastRejection());
        }
        cards.put("Training", training);
        return cards;
    }

    @Override
    public List<Chart> charts() {
        return List.of(
                new Chart("accuracy", "Accuracy of the live model", "fraction of pairs ranked right", true, List.of(
                        new Chart.Line("heldout", "held-out (at promotion)"),
                        new Chart.Line("prequential", "prequential (new pairs, before learning)"))),
                new Chart("preferences", "Preferences read", "per second", true, List.of(
                        new Chart.Line("preferences_rate", "from rlhf.preferences"))),
                new Chart("training-store", "Training pairs stored", "pairs", true, List.of(
                        new Chart.Line("stored", "training pairs"))),
                new Chart("conflicts", "Conflicting judgments", "fraction of judgments", false, List.of(
                        new Chart.Line("conflicts", "conflict rate"))),
                new Chart("trainer-lag", "Consumer lag on rlhf.preferences", "records", false, List.of(
                        new Chart.Line("lag", "records behind"))),
                Chart.deadLetters("trainer-dead-letters", "Dead letters (trainer)", deadLettersByStage().keySet()));
    }

    @Override
    public Map<String, Double> sample(double seconds) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("heldout", meters.heldOut());
        row.put("prequential", meters.prequential());
        row.put("preferences_rate", deltas.rate("preferences", preferencesRead(), seconds));
        row.put("stored", (double) meters.stored());
        row.put("conflicts", meters.conflictRate());
        row.put("lag", lag.getAsDouble());
        deadLettersByStage().forEach((stage, count) -> row.put(Chart.deadLetterSeries(stage), count));
        return row;
    }

    private double preferencesRead() {
        Counter counter = registry.find(RecordMeters.IN).tag("role", ROLE).tag("topic", preferencesTopic).counter();
        return counter == null ? 0 : counter.count();
    }

    private Map<String, Double> deadLettersByStage() {
        return DeadLetterMeter.countsByStage(registry, ROLE);
    }
}
