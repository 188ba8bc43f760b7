package io.rewardstream.http;

import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bound and started HTTP port (Jetty) with its own pool of daemon threads: what the scorer's, the trainer's and
 * {@code serve}'s HTTP faces have in common. Routes are given before it starts, so no request sees a half-built
 * server. It applies the limits of {@link HttpSettings}: idle and read timeouts, the number of open connections,
 * the number of requests with a body in progress (503 with {@code Retry-After} beyond), and the body size (413).
 */
public final class HttpPort implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPort.class);
    /** Threads Jetty keeps for itself besides the handler threads: an acceptor, a selector and spares. */
    private static final int JETTY_THREADS = 6;

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final boolean tls;

    private HttpPort(Server server, ServerConnector connector, String host, boolean tls) {
        this.server = server;
        this.connector = connector;
        this.host = host;
        this.tls = tls;
    }

    /**
     * Listens on {@code settings.host():settings.port()} (port 0 for any free port) with {@code routes}, handled by
     * up to {@code threads} threads named {@code threadName-N}.
     *
     * @throws IllegalStateException when the port cannot be bound (the message names http.host and http.port)
     */
    public static HttpPort start(HttpSettings settings, int threads, String threadName, List<Route> routes) {
        return start(settings, 128, threads, threadName, routes);
    }

    /** As {@link #start(HttpSettings, int, String, List)} with every limit at its default. */
    public static HttpPort start(String host, int port, int backlog, int threads, String threadName,
                                 List<Route> routes) {
        return start(HttpSettings.defaults().withAddress(host, port), backlog, threads, threadName, routes);
    }

    private static HttpPort start(HttpSettings settings, int backlog, int threads, String threadName,
                                  List<Route> routes) {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads, 2) + JETTY_THREADS, 2);
        pool.setName(threadName);
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setIdleTimeout(settings.idleTimeout().toMillis());
        ServerConnector connector = connector(server, config, settings.access());
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.setAcceptQueueSize(backlog);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
        server.setHandler(new Dispatcher(routes, settings));
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(1_000);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (http.host, http.port): " + e.getMessage(), e);
        }
        return new HttpPort(server, connector, settings.host(), settings.access().tls());
    }

    /** Plain HTTP, or TLS from the access settings' PKCS#12 key store. */
    private static ServerConnector connector(Server server, HttpConfiguration config, HttpAccess access) {
        if (!access.tls()) {
            return new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        }
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(access.keystore().toAbsolutePath().toString());
        tls.setKeyStorePassword(access.keystorePassword());
        tls.setKeyStoreType("PKCS12");
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients reach the port by address as often as by name; the certificate's names are the client's check.
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        return new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(config));
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The server's address, e.g. http://127.0.0.1:8081/ (https with TLS) */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https" : "http") + "://" + h + ":" + port() + "/";
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the HTTP server failed", e);
        }
    }
}
