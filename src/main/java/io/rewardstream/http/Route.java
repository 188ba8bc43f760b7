package io.rewardstream.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint bound to one method and one exact path: other methods get 405, other paths under its context
 * 404, a {@link HttpProblem} its status with a JSON error, anything else 500.
 */
public final class Route implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Route.class);

    /** The work of an endpoint. */
    @FunctionalInterface
    public interface Endpoint {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final String method;
    private final String path;
    private final Endpoint endpoint;

    public Route(String method, String path, Endpoint endpoint) {
        this.method = method;
        this.path = path;
        this.endpoint = endpoint;
    }

    String path() {
        return path;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                Exchanges.sendError(exchange, 404, "no endpoint at " + exchange.getRequestURI().getPath());
            } else if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
                exchange.getResponseHeaders().set("Allow", method);
                Exchanges.sendError(exchange, 405, path + " takes " + method + ", not " + exchange.getRequestMethod());
            } else {
                endpoint.handle(exchange);
            }
        } catch (HttpProblem problem) {
            Exchanges.sendError(exchange, problem.status(), problem.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", exchange.getRequestMethod(), path, e);
            Exchanges.sendError(exchange, 500, "internal error: " + e.getClass().getSimpleName());
        } finally {
            exchange.close();
        }
    }
}
