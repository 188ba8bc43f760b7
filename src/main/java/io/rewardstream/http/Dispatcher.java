package io.rewardstream.http;

import io.rewardstream.config.ConfigKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses with 401 a request without the port's bearer token (when it has one; probes excepted, see
 * {@link HttpAccess}), sends each request to the route of its exact path and method (404 and 405 otherwise), and
 * bounds the requests
 * with a body in progress at once: beyond the bound they get 503 with {@code Retry-After} at once. Requests without
 * a body (GET, HEAD: probes, metrics, the status page) are cheap and not counted, so that health checks still
 * answer under load.
 */
final class Dispatcher extends Handler.Abstract {

    private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
    private final int maxConcurrent;
    private final Duration readTimeout;
    private final HttpAccess access;
    private final AtomicInteger inFlight = new AtomicInteger();

    Dispatcher(List<Route> list, HttpSettings settings) {
        for (Route route : list) {
            Route previous = routes.computeIfAbsent(route.path(), p -> new LinkedHashMap<>())
                    .put(route.method(), route);
            if (previous != null) {
                throw new IllegalArgumentException("two routes for " + route.method() + " " + route.path());
            }
        }
        this.maxConcurrent = settings.maxConcurrentRequests();
        this.readTimeout = settings.readTimeout();
        this.access = settings.access();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        var refusal = access.refusal(Request.getPathInContext(request),
                request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (refusal.isPresent()) {
            HttpExchange refused = new HttpExchange(request, response, callback, readTimeout);
            refused.setHeader("WWW-Authenticate", "Bearer realm=\"rewardstream\"");
            Exchanges.sendError(refused, 401, refusal.get());
            return true;
        }
        String method = request.getMethod();
        boolean counted = !"GET".equals(method) && !"HEAD".equals(method);
        if (counted && inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            HttpExchange refused = new HttpExchange(request, response, callback, readTimeout);
            Route.answerFailure(refused, new HttpProblem(503, "more than " + maxConcurrent
                    + " requests in progress (" + ConfigKeys.HTTP_MAX_CONCURRENT_REQUESTS + "); retry later", 1));
            return true;
        }
        Callback done = counted ? Callback.from(callback, inFlight::decrementAndGet) : callback;
        Map<String, Route> byMethod = routes.get(Request.getPathInContext(request));
        if (byMethod != null && byMethod.containsKey(method)) {
            done = byMethod.get(method).timed(done, response);
        }
        HttpExchange exchange = new HttpExchange(request, response, done, readTimeout);
        if (byMethod == null) {
            Exchanges.sendError(exchange, 404, "no endpoint at " + exchange.path());
        } else if (!byMethod.containsKey(method)) {
            exchange.setHeader("Allow", String.join(", ", byMethod.keySet()));
            Exchanges.sendError(exchange, 405, exchange.path() + " takes " + String.join(" or ", byMethod.keySet())
                    + ", not " + method);
        } else {
            byMethod.get(method).handle(exchange);
        }
        return true;
    }

    /** Requests with a body in progress now. */
    int inFlight() {
        return inFlight.get();
    }
}
