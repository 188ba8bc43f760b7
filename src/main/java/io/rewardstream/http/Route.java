package io.rewardstream.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint bound to one method and one exact path. A {@link HttpProblem} is answered with its status (and
 * {@code Retry-After} when it has one) and a JSON error, anything else with 500; the port answers other paths with
 * 404 and other methods with 405.
 */
public final class Route {

    private static final Logger LOG = LoggerFactory.getLogger(Route.class);

    /** The work of an endpoint. */
    @FunctionalInterface
    public interface Endpoint {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** Name of the timer of answered requests: {@code rewardstream_http_requests_seconds{route,method,status}}. */
    public static final String REQUESTS = "rewardstream.http.requests";

    private final String method;
    private final String path;
    private final Endpoint endpoint;
    private final MeterRegistry meters;

    public Route(String method, String path, Endpoint endpoint) {
        this(method, path, endpoint, null);
    }

    private Route(String method, String path, Endpoint endpoint, MeterRegistry meters) {
        this.method = method.toUpperCase(java.util.Locale.ROOT);
        this.path = path;
        this.endpoint = endpoint;
        this.meters = meters;
    }

    /** This route, timing each request it answers in {@code registry} by route, method and status. */
    public Route metered(MeterRegistry registry) {
        return new Route(method, path, endpoint, registry);
    }

    /** {@code done}, recording the request's time and the status of its answer when it completes (when metered). */
    Callback timed(Callback done, Response response) {
        if (meters == null) {
            return done;
        }
        long start = System.nanoTime();
        return new Callback() {
            @Override
            public void succeeded() {
                record();
                done.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                record();
                done.failed(x);
            }

            private void record() {
                Timer.builder(REQUESTS).description("HTTP requests answered, by route, method and status")
                        .tag("route", path).tag("method", method).tag("status", Integer.toString(response.getStatus()))
                        .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Runs the endpoint and makes sure the exchange is answered, now or (after answerLater) by its work. */
    void handle(HttpExchange exchange) {
        try {
            endpoint.handle(exchange);
            if (!exchange.answered() && !exchange.answeredLater()) {
                answerFailure(exchange, new IllegalStateException(method + " " + path + " returned no answer"));
            }
        } catch (IOException e) {
            LOG.debug("{} {} from {}: connection failed", method, path, exchange.remoteAddress(), e);
            exchange.abort(e);
        } catch (RuntimeException e) {
            answerFailure(exchange, e);
        }
    }

    /** Answers {@code failure}: a problem with its status, anything else 500 (and logged). */
    static void answerFailure(HttpExchange exchange, Throwable failure) {
        if (exchange.answered()) {
            LOG.warn("{} {} failed after it was answered", exchange.method(), exchange.path(), failure);
            return;
        }
        if (failure instanceof HttpProblem problem) {
            problem.retryAfterSeconds().ifPresent(s -> exchange.setHeader("Retry-After", Long.toString(s)));
            if (problem.status() == 413 || problem.status() == 408) {
                // Part of the body may be unread: the connection is not reused.
                exchange.setHeader("Connection", "close");
            }
            Exchanges.sendError(exchange, problem.status(), problem.getMessage());
        } else {
            LOG.warn("{} {} failed", exchange.method(), exchange.path(), failure);
            Exchanges.sendError(exchange, 500, "internal error: " + failure.getClass().getSimpleName());
        }
    }
}
