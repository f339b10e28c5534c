package jp.sekisho.breakout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.gateway.RequestIds;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.PolicySnapshot;

/**
 * The forward-proxy listener (local breakout) and the clients its tunnels and requests go out
 * through. Started only when the configuration has a {@code forwardProxy} section.
 */
public final class ForwardProxyServer {

    private static final Logger LOG = Logger.getLogger(ForwardProxyServer.class.getName());

    private final HttpServer server;
    private final NetClient net;
    private final HttpClient http;
    private final List<Runnable> closing;

    private ForwardProxyServer(HttpServer server, NetClient net, HttpClient http, List<Runnable> closing) {
        this.server = server;
        this.net = net;
        this.http = http;
        this.closing = closing;
    }

    /** What the listener needs besides its settings: how it decides and where it records. */
    public record Parts(Supplier<PolicySnapshot> policy, ForwardProxyHandler.Checks checks, AccessLog audit,
                        ProxyMetrics metrics, Clock clock, DestinationResolver resolver,
                        Optional<Interceptor> interceptor) {
    }

    /**
     * Starts listening.
     *
     * @param options the listener's server options (TLS and client certificates already applied when configured)
     */
    public static Future<ForwardProxyServer> start(Vertx vertx, SekishoConfig.ForwardProxy settings,
                                                   HttpServerOptions options, Parts parts) {
        SekishoConfig.Tunnels tunnels = settings.tunnels();
        int connectMillis = (int) Duration.ofSeconds(tunnels.connectTimeoutSeconds()).toMillis();
        NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(connectMillis)
                .setTcpNoDelay(true));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(connectMillis)
                .setKeepAlive(true));
        ForwardProxyHandler handler = new ForwardProxyHandler(vertx, parts.policy(), parts.checks(),
                new ForwardProxyHandler.Connections(parts.resolver(), net, http, parts.interceptor()), parts.audit(),
                parts.metrics().breakout(), new RequestIds(), parts.clock(),
                new ForwardProxyHandler.Limits(Duration.ofSeconds(tunnels.idleTimeoutSeconds()),
                        Duration.ofSeconds(tunnels.maxDurationSeconds()), Duration.ofMillis(connectMillis)));
        parts.metrics().ismapExpiry(() -> parts.policy().get().breakout(), parts.clock());
        SekishoConfig.Listener listen = settings.listen();
        return vertx.createHttpServer(options).requestHandler(handler).listen(listen.port(), listen.host())
                .map(server -> {
                    LOG.info("forward proxy (local breakout) is listening on " + listen.host() + ":"
                            + server.actualPort());
                    return new ForwardProxyServer(server, net, http, new ArrayList<>());
                });
    }

    /** Server options for the listener: HTTP/1.1 only (CONNECT tunnels), the listener's limits. */
    public static HttpServerOptions serverOptions(SekishoConfig.ForwardProxy settings) {
        SekishoConfig.Listener listen = settings.listen();
        return new HttpServerOptions().setHttp2ClearTextEnabled(false).setTcpNoDelay(true)
                .setMaxHeaderSize(listen.limits().maxHeaderSectionBytes())
                .setMaxInitialLineLength(listen.limits().maxRequestLineBytes())
                // A connection that never sends a request closes; a tunnel's own idle timer (a little
                // shorter) closes quiet tunnels first, so that their records say idle-timeout.
                .setIdleTimeout(settings.tunnels().idleTimeoutSeconds() + 5);
    }

    public HttpServer server() {
        return server;
    }

    public int port() {
        return server.actualPort();
    }

    /** Runs {@code action} when the listener closes (the interceptor's own listener, say). */
    public void onClose(Runnable action) {
        closing.add(action);
    }

    public Future<Void> close() {
        return server.close().compose(v -> net.close()).compose(v -> http.close()).onComplete(v ->
                closing.forEach(Runnable::run));
    }
}
