package io.rewardstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP relay on a loopback port in front of a real service (the schema registry), for chaos runs: {@link #cut} makes
 * the service unreachable as an outage does (the port refuses connections, open ones are reset), {@link #restore}
 * brings it back on the same port.
 */
public final class TcpProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    private final int port;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    private TcpProxy(int port, InetSocketAddress target) {
        this.port = port;
        this.target = target;
    }

    /** Relays {@code listenPort} (0: any free one) on loopback to {@code targetHost:targetPort}. */
    public static TcpProxy start(int listenPort, String targetHost, int targetPort) {
        ServerSocket first = listen(listenPort);
        TcpProxy proxy = new TcpProxy(first.getLocalPort(), new InetSocketAddress(targetHost, targetPort));
        proxy.accept(first);
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Stops relaying: new connections are refused and open ones are closed. */
    public synchronized void cut() {
        ServerSocket listening = server;
        server = null;
        closeQuietly(listening);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
        LOG.info("Proxy on port {} cut", port);
    }

    /** Relays again on the same port. */
    public synchronized void restore() {
        if (server == null) {
            accept(listen(port));
            LOG.info("Proxy on port {} restored", port);
        }
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback port " + port, e);
        }
    }

    private void accept(ServerSocket listening) {
        server = listening;
        Thread acceptor = new Thread(() -> {
            while (server == listening) {
                try {
                    Socket client = listening.accept();
                    relay(client);
                } catch (IOException e) {
                    return;
                }
            }
        }, "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed or was cut: close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }

    @Override
    public void close() {
        cut();
    }
}
