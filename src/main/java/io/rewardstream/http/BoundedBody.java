package io.rewardstream.http;

import io.rewardstream.config.ConfigKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body within a size and a time limit. An over-long body is still read and dropped, up to
 * {@link #DISCARD_LIMIT}, before the 413 goes out: clients such as Python's {@code requests} send the whole body
 * before they read any answer, and a server that closes with unread bytes makes them see a reset connection
 * instead of the 413.
 */
final class BoundedBody {

    /** The most bytes of a refused body that are read and dropped; past that the connection is closed. */
    static final long DISCARD_LIMIT = 64L << 20;

    private static final int BUFFER = 16 * 1024;

    private BoundedBody() {
    }

    static byte[] read(Request request, int maxBytes, Duration readTimeout) throws IOException {
        return read(Content.Source.asInputStream(request), request.getLength(), maxBytes, readTimeout,
                System::nanoTime);
    }

    /**
     * Reads {@code in} whole, at most {@code maxBytes} of it, within {@code readTimeout} on {@code clock}.
     *
     * @param declared the length the request declared, or -1 when it declared none (chunked)
     */
    static byte[] read(InputStream in, long declared, int maxBytes, Duration readTimeout, LongSupplier clock)
            throws IOException {
        long deadline = clock.getAsLong() + readTimeout.toNanos();
        if (declared > maxBytes) {
            discard(in, deadline, clock);
            throw tooLarge(declared + " bytes", maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : BUFFER);
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (clock.getAsLong() - deadline > 0) {
                throw slow(readTimeout);
            }
            if (out.size() + n > maxBytes) {
                discard(in, deadline, clock);
                throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads and drops the body of {@code request}, as far as the discard limit and the read timeout allow. */
    static void discard(Request request, Duration readTimeout) {
        try {
            discard(Content.Source.asInputStream(request), System.nanoTime() + readTimeout.toNanos(),
                    System::nanoTime);
        } catch (IOException e) {
            // The connection is broken: the answer will fail to go out as well, and Jetty closes it.
        }
    }

    /** Reads and drops the rest of the body, up to the discard limit or the deadline. */
    private static void discard(InputStream in, long deadline, LongSupplier clock) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long dropped = 0;
        int n;
        while (dropped < DISCARD_LIMIT && clock.getAsLong() - deadline < 0 && (n = in.read(buffer)) >= 0) {
            dropped += n;
        }
    }

    private static HttpProblem tooLarge(String size, int maxBytes) {
        return new HttpProblem(413, "request body of " + size + " exceeds the limit of " + maxBytes
                + " bytes (" + ConfigKeys.HTTP_MAX_BODY_BYTES + ")");
    }

    private static HttpProblem slow(Duration readTimeout) {
        return new HttpProblem(408, "the request body did not arrive within " + readTimeout.toMillis() + " ms ("
                + ConfigKeys.HTTP_READ_TIMEOUT + ")");
    }
}
