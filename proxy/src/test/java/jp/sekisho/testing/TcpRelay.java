package jp.sekisho.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay between a client and a server (PostgreSQL, say) that a test can {@link #cut}, as
 * a network outage would: every connection through it is closed and new ones are refused until
 * {@link #restore}. Or it can {@link #freeze}, as a silent outage would (a firewall dropping
 * packets): connections stay open but carry nothing. Listens on 127.0.0.1, port 0; two threads
 * per connection, plain sockets.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new ArrayList<>();
    private boolean cut;
    private volatile boolean frozen;

    private TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-relay-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Relays to {@code host:port}. */
    public static TcpRelay to(String host, int port) throws IOException {
        return new TcpRelay(new InetSocketAddress(host, port));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection through the relay; the next ones are closed as soon as accepted. */
    public synchronized void cut() {
        cut = true;
        open.forEach(TcpRelay::closeQuietly);
        open.clear();
    }

    /** Drops every byte on the connections through the relay, closing none; refuses new ones. */
    public synchronized void freeze() {
        frozen = true;
    }

    /** Relays new connections again; those that were frozen are closed, having lost bytes. */
    public synchronized void restore() {
        if (frozen) {
            cut();
        }
        cut = false;
        frozen = false;
    }

    @Override
    public void close() {
        cut();
        closeQuietly(server);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket upstream = new Socket();
            synchronized (this) {
                if (cut || frozen) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(upstream);
            }
            try {
                upstream.connect(target, 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    /** Copies {@code from} to {@code to} until either ends, then closes both. */
    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (frozen) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or either side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (this) {
                    open.remove(from);
                    open.remove(to);
                }
            }
        }, "tcp-relay-" + port());
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
