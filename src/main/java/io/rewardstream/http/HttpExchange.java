package io.rewardstream.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its answer, as an {@link Route.Endpoint} sees it: the method, path and headers, the body read
 * within the port's limits, and exactly one answer, sent now or, after {@link #answerLater}, from another thread.
 */
public final class HttpExchange {

    private final Request request;
    private final Response response;
    private final Callback done;
    private final Duration readTimeout;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile boolean later;
    private volatile boolean bodyRead;

    HttpExchange(Request request, Response response, Callback done, Duration readTimeout) {
        this.request = request;
        this.response = response;
        this.done = done;
        this.readTimeout = readTimeout;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path without the query, e.g. {@code /get_reward}. */
    public String path() {
        return Request.getPathInContext(request);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    /** The client's address, for logs. */
    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    /** Sets a header of the answer (before it is sent). */
    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /**
     * The whole body: 413 when it is longer than {@code maxBytes} (the rest of it is read and dropped first, so
     * that a client still sending sees the 413 rather than a reset connection), 408 when it takes longer than the
     * port's read timeout to arrive.
     *
     * @throws HttpProblem   413 or 408
     * @throws IOException   when the connection fails while reading
     */
    public byte[] body(int maxBytes) throws IOException {
        bodyRead = true;
        return BoundedBody.read(request, maxBytes, readTimeout);
    }

    /**
     * Sends the answer; an exchange is answered once. A body nobody read (a request refused before its body was
     * looked at) is read and dropped first, so that the connection stays usable and a client still sending sees
     * the answer instead of a reset.
     */
    public void send(int status, String contentType, byte[] body) {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException(method() + " " + path() + " was already answered");
        }
        if (!bodyRead && request.getLength() != 0) {
            bodyRead = true;
            BoundedBody.discard(request, readTimeout);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), done);
    }

    public boolean answered() {
        return answered.get();
    }

    /**
     * Leaves this exchange open after the endpoint returns: {@code work} answers it from another thread. When
     * {@code work} fails, or ends without answering, the failure is answered as the route answers failures
     * (a {@link HttpProblem} with its status, anything else 500). The port's idle timeout does not cut a
     * request that waits here; the work bounds its own wait.
     */
    public void answerLater(CompletionStage<?> work) {
        later = true;
        request.addIdleTimeoutListener(timeout -> true);
        work.whenComplete((ignored, failure) -> {
            if (failure != null) {
                Route.answerFailure(this, failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else if (!answered()) {
                Route.answerFailure(this, new IllegalStateException(path() + " ended without an answer"));
            }
        });
    }

    boolean answeredLater() {
        return later;
    }

    /** Gives up on the exchange (the connection is broken): nothing more can be sent. */
    void abort(Throwable cause) {
        if (answered.compareAndSet(false, true)) {
            done.failed(cause);
        }
    }
}
