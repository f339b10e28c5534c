package jp.sekisho.breakout.intercept;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.Pipe;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.Settings;
import jp.sekisho.breakout.intercept.TenantRestrictionInterceptor.Target;
import jp.sekisho.breakout.intercept.TunnelRegistry.Tunnel;
import jp.sekisho.gateway.HeaderHygiene;
import jp.sekisho.gateway.Upstreams;
import jp.sekisho.policy.Reason;

/**
 * The interceptor listener's handlers: a connection is kept only when it belongs to a
 * registered tunnel; a request is forwarded only when its TLS server name and Host are the
 * tunnel's host, with the tenant-restriction headers set by the proxy and no client copy of
 * them, to the address the proxy vetted, verifying the real host's certificate.
 */
final class InterceptedRequests {

    private static final Logger LOG = Logger.getLogger(InterceptedRequests.class.getName());

    /** Every tenant-restriction header Entra reads: a client's own copy never goes upstream. */
    private static final List<CharSequence> TENANT_RESTRICTION_HEADERS = List.of(
            HttpHeaders.createOptimized("restrict-access-to-tenants"),
            HttpHeaders.createOptimized("restrict-access-context"),
            HttpHeaders.createOptimized("sec-restrict-tenant-access-policy"));
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain; charset=utf-8");

    private final TunnelRegistry tunnels;
    private final HttpClient upstream;
    private final Settings settings;

    InterceptedRequests(TunnelRegistry tunnels, HttpClient upstream, Settings settings) {
        this.tunnels = tunnels;
        this.upstream = upstream;
        this.settings = settings;
    }

    /** A TLS connection that came through a tunnel's loopback socket; any other is closed. */
    void connected(HttpConnection connection) {
        if (tunnels.find(connection.remoteAddress()) == null) {
            connection.close();
        }
    }

    void handle(HttpServerRequest request) {
        Tunnel tunnel = tunnels.find(request.connection().remoteAddress());
        if (tunnel == null) {
            request.connection().close(); // the tunnel closed meanwhile
            return;
        }
        InterceptRefusal refusal = misdirected(request, tunnel.target());
        if (refusal != null) {
            tunnel.observer().requestRefused(refusal.code());
            answer(request, 421, refusal.code() + ": this connection is for " + tunnel.target().host() + " only", true);
            return;
        }
        forward(request, tunnel);
    }

    /** Why the request may not use this tunnel, or null when it may. */
    static InterceptRefusal misdirected(HttpServerRequest request, Target target) {
        String serverName = request.connection().indicatedServerName();
        if (serverName == null || !serverName.equalsIgnoreCase(target.host())) {
            return InterceptRefusal.SNI_MISMATCH;
        }
        HostAndPort authority = request.authority();
        if (request.headers().getAll(HttpHeaders.HOST).size() != 1 || authority == null
                || !authority.host().equalsIgnoreCase(target.host())) {
            return InterceptRefusal.HOST_MISMATCH;
        }
        if (!request.uri().startsWith("/")) {
            return InterceptRefusal.TARGET_NOT_ORIGIN_FORM; // an absolute URI could name another host
        }
        return null;
    }

    private void forward(HttpServerRequest request, Tunnel tunnel) {
        Target target = tunnel.target();
        // Paused and buffered at once: the upstream request opens asynchronously.
        Pipe<Buffer> body = request.pipe();
        boolean expectsContinue = request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
        boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(target.host()) // SNI, Host and certificate verification use the name...
                .setPort(target.port())
                // ...while the connection goes to the address the proxy vetted: never resolved again
                .setServer(SocketAddress.inetSocketAddress(target.port(), target.address().getHostAddress()))
                .setURI(request.uri())
                .setConnectTimeout(settings.connectTimeoutMillis())
                .setIdleTimeout(settings.idleTimeoutSeconds() * 1000L)
                .setHeaders(forwardedHeaders(request.headers(), target));
        Future<HttpClientRequest> opened = upstream.request(options);
        opened.compose(upstreamRequest -> {
                    if (chunked) {
                        upstreamRequest.setChunked(true);
                    }
                    if (expectsContinue) {
                        request.response().writeContinue(); // the upstream is there: let the body come
                    }
                    body.to(upstreamRequest).onFailure(e -> upstreamRequest.reset());
                    return upstreamRequest.response();
                })
                .onSuccess(response -> relay(request, opened.result(), response, tunnel))
                .onFailure(e -> {
                    body.close();
                    fail(request, tunnel, e);
                });
    }

    /** The client's headers without hop-by-hop ones and tenant restrictions, then the tunnel's own. */
    static MultiMap forwardedHeaders(MultiMap clientHeaders, Target target) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(clientHeaders);
        HeaderHygiene.removeHopByHop(headers, false);
        headers.remove(HttpHeaders.HOST); // written from the target's name
        headers.remove(HttpHeaders.EXPECT); // answered here, once the upstream request is open
        for (CharSequence name : TENANT_RESTRICTION_HEADERS) {
            headers.remove(name);
        }
        target.headers().forEach(headers::set); // set, not added: one value, the proxy's
        return headers;
    }

    private void relay(HttpServerRequest request, HttpClientRequest upstreamRequest, HttpClientResponse answer,
                       Tunnel tunnel) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            upstreamRequest.reset();
            return;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(answer.headers());
        HeaderHygiene.removeHopByHop(headers, false);
        response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
        response.headers().addAll(headers);
        if (!headers.contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(request.method(), answer.statusCode())) {
            response.setChunked(true);
        }
        tunnel.observer().requestForwarded(answer.statusCode());
        // Not ended on failure: a cut body must look cut to the client, not complete.
        answer.pipe().endOnFailure(false).to(response).onFailure(e -> {
            response.reset();
            upstreamRequest.reset();
        });
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }

    private void fail(HttpServerRequest request, Tunnel tunnel, Throwable e) {
        Reason reason = Upstreams.reasonFor(e);
        String host = tunnel.target().host();
        LOG.log(Level.FINE, "intercepted request to {0} failed: {1}", new Object[] {host, e.toString()});
        tunnel.observer().requestFailed(reason);
        HttpServerResponse response = request.response();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        String why = switch (reason) {
            case UPSTREAM_TLS_FAILED -> "the certificate of " + host + " could not be verified; nothing was sent";
            case UPSTREAM_UNREACHABLE -> host + " could not be reached";
            case UPSTREAM_TIMEOUT -> host + " did not answer in time";
            default -> "the request to " + host + " failed";
        };
        answer(request, reason == Reason.UPSTREAM_TIMEOUT ? 504 : 502, reason.code() + ": " + why,
                !request.isEnded());
    }

    private static void answer(HttpServerRequest request, int status, String text, boolean close) {
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(text + "\n");
    }
}
