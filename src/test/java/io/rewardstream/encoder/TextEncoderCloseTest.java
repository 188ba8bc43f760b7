package io.rewardstream.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rewardstream.runtime.ResourceClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closing an encoder while another thread runs its session: what a SIGTERM did to the scorer's and the trainer's
 * stream threads (SIGSEGV in libonnxruntime.so) before the session waited for its runs in flight.
 */
class TextEncoderCloseTest {

    private static List<TokenSequence> longTexts(TextEncoder encoder, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add(("text number " + i + " about the weather and the sea ").repeat(30));
        }
        TokenLayout layout = encoder.tokenizer().layout(256);
        List<TokenSequence> sequences = new ArrayList<>();
        for (long[] ids : encoder.tokenizer().tokenize(texts)) {
            sequences.add(layout.responseAlone(ids));
        }
        return sequences;
    }

    @Test
    void shouldFreeTheSessionOnlyAfterTheRunInFlightReturnsAndRefuseLaterRuns() throws Exception {
        // Given an encoder running batches without pause on another thread
        TextEncoder encoder = TextEncoder.load(EncoderSource.resolve(EncoderSource.DEFAULT), 1,
                TextEncoder.DEFAULT_BATCH_SIZE);
        List<TokenSequence> batch = longTexts(encoder, 32);
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean refused = new AtomicBoolean();
        CompletableFuture<Void> runner = CompletableFuture.runAsync(() -> {
            try {
                while (true) {
                    assertThat(encoder.embedBatch(batch)).hasNumberOfRows(32);
                    finished.incrementAndGet();
                }
            } catch (ResourceClosedException e) {
                refused.set(true);
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> encoder.runsInFlight() == 1 && finished.get() >= 1);

        // When it is closed while a run is in flight
        int finishedBeforeClose = finished.get();
        encoder.close();

        // Then the run in flight completed normally and the next one was refused, not run on a freed session
        runner.get(60, TimeUnit.SECONDS);
        assertThat(refused).isTrue();
        assertThat(encoder.runsInFlight()).isZero();
        assertThat(finished.get()).isGreaterThanOrEqualTo(finishedBeforeClose);
        assertThatThrownBy(() -> encoder.embedBatch(batch)).isInstanceOf(ResourceClosedException.class)
                .hasMessageContaining("is closed");
    }
}
