package io.rewardstream.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    /** A clock that moves on by {@code step} nanoseconds each time it is read. */
    private static final class SteppingClock {
        private final AtomicLong now = new AtomicLong();
        private final long step;

        SteppingClock(Duration step) {
            this.step = step.toNanos();
        }

        long read() {
            return now.getAndAdd(step);
        }
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a body arriving in pieces. */
    private static InputStream inPieces(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void shouldReadABodyWithinItsLimits() throws Exception {
        byte[] body = "x".repeat(10_000).getBytes();
        assertThat(BoundedBody.read(inPieces(body, 100), -1, 10_000, Duration.ofSeconds(1),
                new SteppingClock(Duration.ofMillis(1))::read)).isEqualTo(body);
    }

    @Test
    void shouldRefuseABodyOverTheLimitAfterReadingTheRestOfIt() {
        // Given
        InputStream body = inPieces(new byte[100_000], 1000);

        // When / Then
        assertThatThrownBy(() -> BoundedBody.read(body, -1, 50_000, Duration.ofSeconds(1),
                new SteppingClock(Duration.ofMillis(1))::read))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(413))
                .hasMessage("request body of more than 50000 bytes exceeds the limit of 50000 bytes"
                        + " (http.max-body-bytes)");
        assertThat(body).isEmpty();
    }

    @Test
    void shouldRefuseADeclaredLengthOverTheLimitBeforeKeepingAnyOfIt() {
        InputStream body = inPieces(new byte[100_000], 1000);
        assertThatThrownBy(() -> BoundedBody.read(body, 100_000, 50_000, Duration.ofSeconds(1),
                new SteppingClock(Duration.ofMillis(1))::read))
                .hasMessageStartingWith("request body of 100000 bytes exceeds the limit of 50000 bytes");
        assertThat(body).isEmpty();
    }

    @Test
    void shouldAnswer408WhenTheBodyTakesLongerThanTheReadTimeoutToArrive() {
        // Given: every piece of 10 bytes takes 100 ms, 1,000 bytes in all, and 1 s to read them
        InputStream body = inPieces(new byte[1000], 10);

        // When / Then
        assertThatThrownBy(() -> BoundedBody.read(body, 1000, 4096, Duration.ofSeconds(1),
                new SteppingClock(Duration.ofMillis(100))::read))
                .isInstanceOfSatisfying(HttpProblem.class, p -> assertThat(p.status()).isEqualTo(408))
                .hasMessage("the request body did not arrive within 1000 ms (http.read-timeout)");
    }
}
