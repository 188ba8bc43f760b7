package io.rewardstream.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound and started JDK HTTP server with its own pool of daemon handler threads: what the scorer's and the
 * trainer's HTTP faces have in common. Routes are given before it starts, so no request sees a half-built server.
 */
public final class HttpPort implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpPort(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code host:port} (0 for any free port) with {@code routes}, each at its own path, served by
     * {@code threads} threads named {@code threadName-N}.
     */
    public static HttpPort start(String host, int port, int backlog, int threads, String threadName, List<Route> routes) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), backlog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (http.host, http.port): "
                    + e.getMessage(), e);
        }
        routes.forEach(route -> server.createContext(route.path(), route));
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new HttpPort(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The server's address, e.g. http://127.0.0.1:8081/ */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
