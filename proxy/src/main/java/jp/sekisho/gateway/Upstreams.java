package jp.sekisho.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.ConnectException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Reason;
import javax.net.ssl.X509TrustManager;

/**
 * Connections to upstreams: one keep-alive pool per upstream, TLS verified with SNI and host
 * name checks for {@code https://} upstreams (against the system trust store plus the
 * administrator's CA files), and failures translated into reason codes.
 */
public final class Upstreams {

    private final HttpClient client;
    /** For apps marked insecureSkipVerify only: no certificate or host name check. */
    private final HttpClient unverified;
    private final SekishoConfig.Upstreams config;

    /**
     * @param trust         whom upstream servers may prove themselves to
     * @param clientKeyCert the certificate presented to upstreams that ask for one, or null
     */
    public Upstreams(Vertx vertx, SekishoConfig.Upstreams config, X509TrustManager trust, KeyCertOptions clientKeyCert) {
        this.config = config;
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerUpstream()).setMaxWaitQueueSize(4096);
        HttpClientOptions verified = options(config, clientKeyCert).setVerifyHost(true)
                .setTrustOptions(TrustOptions.wrap(trust));
        this.client = vertx.createHttpClient(verified, pool);
        this.unverified = vertx.createHttpClient(options(config, clientKeyCert).setVerifyHost(false).setTrustAll(true),
                pool);
    }

    private static HttpClientOptions options(SekishoConfig.Upstreams config, KeyCertOptions clientKeyCert) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout(60)
                .setConnectTimeout(config.connectTimeoutMs())
                // SNI for host names only: an IP address is not a server name (RFC 6066), and an
                // IPv6 literal as SNI fails the handshake outright.
                .setTcpNoDelay(true)
                .setEnabledSecureTransportProtocols(java.util.Set.of("TLSv1.2", "TLSv1.3"));
        if (clientKeyCert != null) {
            options.setKeyCertOptions(clientKeyCert);
        }
        return options;
    }

    /** Opens a request to the app's upstream for {@code pathAndQuery} (canonical path, raw query). */
    public Future<HttpClientRequest> open(App app, HttpMethod method, String pathAndQuery) {
        URI upstream = app.upstream();
        boolean tls = upstream.getScheme().toLowerCase(Locale.ROOT).equals("https");
        int port = upstream.getPort() > 0 ? upstream.getPort() : tls ? 443 : 80;
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(upstream.getHost())
                .setPort(port)
                .setSsl(tls)
                .setURI(targetUri(upstream, pathAndQuery))
                .setConnectTimeout(config.connectTimeoutMs())
                .setIdleTimeout(config.responseTimeoutMs());
        return (tls && app.insecureUpstreamTls() ? unverified : client).request(options);
    }

    /** The upstream's own base path, if it has one, followed by the request's path. */
    static String targetUri(URI upstream, String pathAndQuery) {
        String base = upstream.getRawPath();
        if (base == null || base.isEmpty() || base.equals("/")) {
            return pathAndQuery;
        }
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + pathAndQuery;
    }

    /** The reason a forwarding failure gets: unreachable or untrusted (502), or too slow (504). */
    public static Reason reasonFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return Reason.UPSTREAM_TLS_FAILED;
            }
            if (t instanceof ConnectException || t instanceof java.net.UnknownHostException) {
                return Reason.UPSTREAM_UNREACHABLE;
            }
            if (t instanceof TimeoutException) {
                return Reason.UPSTREAM_TIMEOUT;
            }
        }
        return Reason.UPSTREAM_FAILED;
    }

    public Future<Void> close() {
        return Future.join(client.close(), unverified.close()).mapEmpty();
    }
}
