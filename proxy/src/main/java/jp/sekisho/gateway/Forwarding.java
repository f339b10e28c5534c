package jp.sekisho.gateway;

import static jp.sekisho.gateway.GatewayHandler.STRICT_TRANSPORT_SECURITY;
import static jp.sekisho.gateway.GatewayHandler.X_REQUEST_ID;
import static jp.sekisho.gateway.GatewayHandler.stage;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.device.OpenTunnels;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.session.BrowserLogin;

/**
 * The upstream side of an allowed request: the header set it is forwarded with, the upstream
 * request (never opened for a request already refused), its body bounded and inspected as it
 * streams, the response relayed under the app's file controls, and an upstream that fails
 * answered with a reason. {@link GatewayHandler} decides; this only forwards what was allowed.
 */
final class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class.getName());

    private final GatewayStages.UpstreamOpener upstreams;
    private final ConnectionGuard guard;
    private final Refusals refusals;
    private final HeaderHygiene hygiene;
    private final ForwardedHeaders forwarded;
    private final BrowserLogin login; // null when browser sign-in is off
    private final CharSequence assertionHeader;
    private final CharSequence hsts; // null when the listener is plain HTTP or HSTS is off
    private final OpenTunnels tunnels;
    private final ProxyMetrics metrics;

    Forwarding(GatewayStages.UpstreamOpener upstreams, ConnectionGuard guard, Refusals refusals, HeaderHygiene hygiene,
               ForwardedHeaders forwarded, BrowserLogin login, CharSequence assertionHeader, CharSequence hsts,
               OpenTunnels tunnels, ProxyMetrics metrics) {
        this.upstreams = upstreams;
        this.guard = guard;
        this.refusals = refusals;
        this.hygiene = hygiene;
        this.forwarded = forwarded;
        this.login = login;
        this.assertionHeader = assertionHeader;
        this.hsts = hsts;
        this.tunnels = tunnels;
        this.metrics = metrics;
    }

    /** Forwards an allowed request; throws when a step fails at once (the caller refuses it). */
    void forward(Exchange exchange, ProxyRequest proxyRequest, String assertion) {
        HttpServerRequest request = exchange.request;
        if (request.response().ended()) {
            return;
        }
        exchange.stage = "forwarding";
        if (exchange.decision == null || !exchange.decision.allowed()) {
            metrics.failOpenPrevented(); // a defect upstream of here: stop it, and let it be seen
            throw new IllegalStateException("forwarding without an allow decision");
        }
        boolean webSocket = request.canUpgradeToWebSocket();
        boolean expectsContinue = prepareHeaders(exchange, proxyRequest.headers(), assertion, webSocket);
        exchange.stage = "upstream";
        if (webSocket) {
            WebSocketForwarding.forward(exchange, proxyRequest, this::openUpstream, tunnels, this::failUpstream);
            return;
        }
        openUpstream(exchange, proxyRequest.getMethod())
                .compose(upstreamRequest -> {
                    if (expectsContinue) {
                        request.response().writeContinue(); // only now: decided, and the upstream is there
                    }
                    proxyRequest.setURI(upstreamRequest.getURI()); // the canonical path, never the raw one
                    if (UnannouncedBody.applies(request)) {
                        return UnannouncedBody.settle(request, proxyRequest).compose(
                                v -> send(exchange, proxyRequest, upstreamRequest),
                                e -> {
                                    upstreamRequest.exceptionHandler(ignored -> { });
                                    upstreamRequest.reset(); // the client left before its body began
                                    return Future.failedFuture(e);
                                });
                    }
                    return send(exchange, proxyRequest, upstreamRequest);
                })
                .onSuccess(upstreamResponse -> {
                    exchange.upstreamNanos = System.nanoTime() - exchange.upstreamSentNanos;
                    relay(exchange, upstreamResponse);
                })
                .onFailure(e -> failUpstream(exchange, e));
    }

    /** Sends the allowed request, with its body bounded, on the opened upstream request. */
    private Future<ProxyResponse> send(Exchange exchange, ProxyRequest proxyRequest,
                                       HttpClientRequest upstreamRequest) {
        boundBody(exchange, proxyRequest, upstreamRequest);
        try {
            exchange.upstreamSentNanos = System.nanoTime();
            return proxyRequest.send(upstreamRequest);
        } catch (RuntimeException e) {
            // a header the HTTP/1.1 client will not write: free the connection, then refuse
            upstreamRequest.exceptionHandler(ignored -> { });
            upstreamRequest.reset();
            return Future.failedFuture(e);
        }
    }

    /**
     * Opens the upstream request, unless the request was refused as too slow meanwhile: then the
     * upstream request is dropped before anything is written to it.
     */
    private Future<HttpClientRequest> openUpstream(Exchange exchange, HttpMethod method) {
        if (exchange.clientGone) {
            return Future.failedFuture(new Refused());
        }
        Future<HttpClientRequest> opening = stage(upstreams.open(exchange.app, method, exchange.pathAndQuery));
        return opening.compose(upstreamRequest -> {
            // Too slow (already refused), or the client left meanwhile: the request goes nowhere,
            // and its pooled connection is given back at once rather than at the response timeout.
            if (!guard.decided(exchange) || exchange.clientGone) {
                upstreamRequest.exceptionHandler(e -> { }); // its reset is ours, not an error
                upstreamRequest.reset();
                return Future.failedFuture(new Refused());
            }
            return Future.succeededFuture(upstreamRequest);
        });
    }

    /** A body of unannounced length is counted as it streams; past the limit the upstream request is cut. */
    private void boundBody(Exchange exchange, ProxyRequest proxyRequest, HttpClientRequest upstreamRequest) {
        HttpServerRequest request = exchange.request;
        if (request.isEnded()) {
            return; // no body
        }
        FileControls files = exchange.app.files();
        Body body = proxyRequest.getBody();
        ReadStream<Buffer> stream = body.stream();
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            // its announced length, when there is one, was checked on arrival
            long max = Math.min(guard.maxBodyBytes(), files.maxUploadBytes().orElse(Long.MAX_VALUE));
            stream = new BoundedBody(stream, max, () -> cutUpload(exchange, upstreamRequest,
                    Reason.REQUEST_BODY_TOO_LARGE));
        }
        if (files.refuseMyNumber()) {
            exchange.fileDirection = "upload";
            stream = new InspectedBody(stream, () -> cutUpload(exchange, upstreamRequest,
                    Reason.PERSONAL_DATA_DETECTED), (bytes, sha256) -> {
                        exchange.fileBytes = bytes;
                        exchange.fileSha256 = java.util.Optional.ofNullable(sha256);
                    });
        }
        if (stream != body.stream()) {
            proxyRequest.setBody(Body.body(stream, body.length()));
        }
    }

    /** Refuses an upload part-way: the client is answered, the upstream request is cut before it is whole. */
    private void cutUpload(Exchange exchange, HttpClientRequest upstreamRequest, Reason reason) {
        // Answer first: cutting the upstream request fails its send, and that must not answer 502.
        failAfterDecision(exchange, reason, true);
        upstreamRequest.exceptionHandler(e -> { });
        upstreamRequest.reset();
    }

    /**
     * An allowed request that could not be completed: answered with {@code reason} while its
     * head is unwritten, its stream reset once the upstream's answer has begun.
     */
    private void failAfterDecision(Exchange exchange, Reason reason, boolean close) {
        exchange.failure = reason;
        HttpServerResponse response = exchange.request.response();
        if (response.headWritten()) {
            response.reset();
        } else {
            refusals.send(exchange.request, Outcome.ALLOW, reason, exchange.requestId, exchange.app, close);
        }
    }

    /** The request was already refused; nothing more to answer. */
    static final class Refused extends RuntimeException {
        Refused() {
            super("already refused", null, false, false);
        }
    }

    /** Makes the forwarded header set; true when the client expects {@code 100 Continue}. */
    private boolean prepareHeaders(Exchange exchange, MultiMap headers, String assertion, boolean webSocket) {
        HeaderHygiene.removeHopByHop(headers, webSocket);
        hygiene.removeIdentityHeaders(headers);
        headers.remove(HttpHeaders.AUTHORIZATION); // the user's token was for Sekisho, not the app
        List<String> cookies = headers.getAll(HttpHeaders.COOKIE);
        if (!cookies.isEmpty() && (login != null || cookies.size() > 1)) {
            // One Cookie header upstream: HTTP/2 clients may send it in pieces (RFC 9113 §8.2.3).
            String joined = String.join("; ", cookies);
            String kept = login == null ? joined : BrowserLogin.withoutOwnCookies(joined);
            headers.remove(HttpHeaders.COOKIE);
            if (!kept.isEmpty()) {
                headers.set(HttpHeaders.COOKIE, kept);
            }
        }
        boolean expectsContinue = headers.contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
        headers.remove(HttpHeaders.EXPECT);
        forwarded.apply(exchange.request, headers);
        headers.set(X_REQUEST_ID, exchange.requestId);
        headers.set(TraceContext.TRACEPARENT, exchange.trace.header());
        if (!exchange.trace.continued()) {
            headers.remove(TraceContext.TRACESTATE); // vendor state of a trace that no longer exists
        }
        if (assertion != null) {
            headers.set(assertionHeader, assertion);
        }
        return expectsContinue;
    }

    private void relay(Exchange exchange, ProxyResponse upstreamResponse) {
        String disposition = upstreamResponse.headers().get(HttpHeaders.CONTENT_DISPOSITION);
        if (exchange.app.files().blocksDownload(exchange.segment, disposition,
                upstreamResponse.headers().get(HttpHeaders.CONTENT_TYPE))) {
            exchange.fileDirection = "download";
            exchange.fileName = FileControls.fileName(disposition);
            upstreamResponse.release(); // read and dropped, so the upstream connection can be used again
            failAfterDecision(exchange, Reason.DOWNLOAD_BLOCKED, !exchange.request.isEnded());
            return;
        }
        if (disposition != null) {
            exchange.fileDirection = "download";
            exchange.fileName = FileControls.fileName(disposition);
        }
        HeaderHygiene.removeHopByHop(upstreamResponse.headers(), false);
        guard.closeAfterResponseIfDraining(exchange.request, upstreamResponse.headers());
        // Set on the response early (for refusals); the upstream's copy below is the one sent.
        exchange.request.response().headers().remove(X_REQUEST_ID).remove(STRICT_TRANSPORT_SECURITY);
        upstreamResponse.headers().set(X_REQUEST_ID, exchange.requestId);
        if (hsts != null) {
            upstreamResponse.headers().set(STRICT_TRANSPORT_SECURITY, hsts); // the proxy's policy, not the app's
        }
        if (exchange.session != null) {
            login.sessions().write(exchange.request.response(), exchange.host, exchange.session, false);
        }
        upstreamResponse.send().onFailure(e -> {
            if (exchange.failure == null) {
                exchange.failure = Reason.UPSTREAM_FAILED;
            }
        });
    }

    private void failUpstream(Exchange exchange, Throwable e) {
        if (e instanceof Refused || exchange.request.response().ended()) {
            return; // already answered: refused as too slow, or its body was too large
        }
        Reason reason = Upstreams.reasonFor(e);
        LOG.log(Level.FINE, "request {0}: upstream of {1} failed: {2}",
                new Object[] {exchange.requestId, exchange.app.id(), e.getMessage()});
        failAfterDecision(exchange, reason, !exchange.request.isEnded());
    }
}
