package io.rewardstream.http;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rewardstream.scoring.RequestBatcher;
import io.rewardstream.scoring.ScorerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP face of one scorer instance, on the JDK's HTTP server, bound to {@code http.host} (loopback). */
public final class ScorerHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScorerHttpServer.class);
    private static final int HANDLER_THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;

    private ScorerHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static ScorerHttpServer start(ScorerSettings settings, ServingState state, RequestBatcher batcher,
                                         PrometheusMeterRegistry registry) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.httpHost(), settings.httpPort()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.httpHost() + ":" + settings.httpPort()
                    + " (http.host, http.port): " + e.getMessage(), e);
        }
        InfoEndpoints info = new InfoEndpoints(state, registry);
        ScoreEndpoints scoring = new ScoreEndpoints(batcher, settings.maxBodyBytes(), settings.maxItemsPerRequest());
        server.createContext("/", new Route("GET", "/", new StatusPage(state)::show));
        server.createContext("/healthz", new Route("GET", "/healthz", info::health));
        server.createContext("/readyz", new Route("GET", "/readyz", info::ready));
        server.createContext("/metrics", new Route("GET", "/metrics", info::metrics));
        server.createContext("/v1/models", new Route("GET", "/v1/models", info::models));
        server.createContext("/v1/score", new Route("POST", "/v1/score", scoring::score));
        server.createContext("/get_reward", new Route("POST", "/get_reward", scoring::getReward));
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "scorer-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        ScorerHttpServer started = new ScorerHttpServer(server, executor);
        LOG.info("Scorer HTTP server on {}", started.url());
        return started;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The status page's address, e.g. http://127.0.0.1:8081/ */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
