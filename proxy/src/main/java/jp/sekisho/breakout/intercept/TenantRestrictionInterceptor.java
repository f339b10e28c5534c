package jp.sekisho.breakout.intercept;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.X509TrustManager;
import jp.sekisho.breakout.intercept.TunnelRegistry.Peer;
import jp.sekisho.breakout.intercept.TunnelRegistry.Tunnel;
import jp.sekisho.policy.Reason;

/**
 * Terminates TLS for intercepted tunnels on an internal loopback HTTPS listener and forwards
 * each request to the real host with the tenant-restriction headers set.
 *
 * <pre>
 * terminal ==CONNECT host:443==> forward proxy ==relay==> {@link #open} socket ==> this listener (127.0.0.1:0)
 *   TLS with a leaf from the {@link InterceptionCa} for the SNI name ==> request checked (SNI and Host = target)
 *   ==> HTTPS to target.address, verified as target.host ==> real login host
 * </pre>
 *
 * <p>The listener learns which tunnel a connection belongs to from its client end, registered
 * by {@link #open} before a byte is relayed. HTTP/1.1 only, on both sides.
 */
public final class TenantRestrictionInterceptor {

    private static final Set<String> TLS_VERSIONS = Set.of("TLSv1.2", "TLSv1.3");
    /**
     * Keep-alive connections per real host and address: every terminal's sign-in goes through
     * the same few, so Vert.x's default of 5 would queue staff behind each other.
     */
    private static final int CONNECTIONS_PER_HOST = 100;
    /** An RFC 9110 token: what a header name may be. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * One intercepted tunnel.
     *
     * @param host    the host the client asked for (stored in lower case)
     * @param port    its port
     * @param address the address the proxy already resolved and vetted: connected to as is, never
     *                resolved again (DNS rebinding)
     * @param headers the tenant-restriction headers to set, name to value
     */
    public record Target(String host, int port, InetAddress address, Map<String, String> headers) {
        public Target {
            host = InterceptionCa.normalise(host);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            Objects.requireNonNull(address, "address");
            headers = Map.copyOf(headers);
            headers.forEach((name, value) -> {
                if (!HEADER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("not a valid header name: " + name);
                }
                if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    throw new IllegalArgumentException("the value of header " + name + " holds a control character");
                }
            });
        }
    }

    /** What happened in one tunnel, for the audit record of the tunnel. Called on an event loop. */
    public interface TunnelObserver {
        /** A request was forwarded and the real host answered {@code status}. */
        void requestForwarded(int status);

        /** A request was answered 421, not forwarded; {@code why} is an {@link InterceptRefusal} code. */
        void requestRefused(String why);

        /** A request could not be forwarded (502/504): upstream unreachable, untrusted or too slow. */
        default void requestFailed(Reason reason) {
        }
    }

    /**
     * @param connectTimeoutMillis for connections to the real hosts
     * @param idleTimeoutSeconds   for both sides: a silent connection or response is given up after this
     */
    public record Settings(int connectTimeoutMillis, int idleTimeoutSeconds) {
        public Settings {
            if (connectTimeoutMillis <= 0 || idleTimeoutSeconds <= 0) {
                throw new IllegalArgumentException("timeouts must be positive: connect " + connectTimeoutMillis
                        + " ms, idle " + idleTimeoutSeconds + " s");
            }
        }
    }

    private final Vertx vertx;
    private final InterceptionCa ca;
    private final TunnelRegistry tunnels;
    private final HttpServer server;
    private final HttpClient upstream;
    private final NetClient loopback;

    private TenantRestrictionInterceptor(Vertx vertx, InterceptionCa ca, TunnelRegistry tunnels, HttpServer server,
                                         HttpClient upstream, NetClient loopback) {
        this.vertx = vertx;
        this.ca = ca;
        this.tunnels = tunnels;
        this.server = server;
        this.upstream = upstream;
        this.loopback = loopback;
    }

    /**
     * Starts the loopback listener.
     *
     * @param upstreamTrust how the real hosts are verified; null: the JDK's default trust store
     */
    public static Future<TenantRestrictionInterceptor> start(Vertx vertx, InterceptionCa ca,
                                                             X509TrustManager upstreamTrust, Settings settings) {
        TunnelRegistry tunnels = new TunnelRegistry();
        HttpClient upstream = vertx.createHttpClient(upstreamOptions(upstreamTrust, settings),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_HOST));
        NetClient loopback = vertx.createNetClient(new NetClientOptions().setConnectTimeout(settings.connectTimeoutMillis()));
        InterceptedRequests requests = new InterceptedRequests(tunnels, upstream, settings);
        HttpServer server = vertx.createHttpServer(listenerOptions(ca, tunnels, settings))
                .connectionHandler(requests::connected)
                .requestHandler(requests::handle);
        return server.listen()
                .map(listening -> new TenantRestrictionInterceptor(vertx, ca, tunnels, listening, upstream, loopback))
                .onFailure(e -> Future.join(upstream.close(), loopback.close()));
    }

    private static HttpServerOptions listenerOptions(InterceptionCa ca, TunnelRegistry tunnels, Settings settings) {
        return new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setSni(true)
                .setKeyCertOptions(new IssuingKeyCertOptions(ca, tunnels::intercepts))
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_1_1))
                .setEnabledSecureTransportProtocols(TLS_VERSIONS)
                .setIdleTimeout(settings.idleTimeoutSeconds());
    }

    private static HttpClientOptions upstreamOptions(X509TrustManager trust, Settings settings) {
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_1_1))
                .setEnabledSecureTransportProtocols(TLS_VERSIONS)
                .setKeepAlive(true)
                .setConnectTimeout(settings.connectTimeoutMillis())
                .setIdleTimeout(settings.idleTimeoutSeconds());
        if (trust != null) {
            options.setTrustOptions(TrustOptions.wrap(trust));
        }
        return options;
    }

    /**
     * A loopback connection into the listener for this tunnel, registered before it is returned:
     * relay the client's tunnel bytes (its TLS ClientHello onward) to and from it as to a direct
     * upstream socket. The registration ends when the socket closes, whichever side closes it
     * (whatever close handler the relay sets). Fails when no certificate can be issued for the host.
     */
    public Future<NetSocket> open(Target target, TunnelObserver observer) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(observer, "observer");
        Tunnel tunnel = new Tunnel(target, observer);
        // Signing a new host's leaf takes a moment: done here on a worker, the handshake finds it cached.
        return vertx.executeBlocking(() -> ca.issue(target.host()), false)
                .compose(issued -> loopback.connect(server.actualPort(), "127.0.0.1"))
                .compose(socket -> {
                    Peer peer = Peer.of(socket.localAddress());
                    try {
                        tunnels.register(peer, tunnel);
                    } catch (IllegalStateException e) {
                        socket.close();
                        return Future.failedFuture(e);
                    }
                    whenClosed(socket, () -> tunnels.remove(peer, tunnel));
                    return Future.succeededFuture(socket);
                });
    }

    /**
     * Runs {@code action} once the socket's channel closes. The channel's own close future, not
     * {@link NetSocket#closeHandler}: the relay sets that one, and a second call would replace it.
     */
    private static void whenClosed(NetSocket socket, Runnable action) {
        if (socket instanceof NetSocketInternal internal) {
            Channel channel = internal.channelHandlerContext().channel();
            channel.closeFuture().addListener(done -> action.run());
        } else {
            socket.closeHandler(v -> action.run());
        }
    }

    /** The loopback port of the listener. */
    int port() {
        return server.actualPort();
    }

    /** Tunnels registered now. */
    int openTunnels() {
        return tunnels.size();
    }

    public Future<Void> close() {
        return Future.join(server.close(), upstream.close(), loopback.close()).mapEmpty();
    }
}
