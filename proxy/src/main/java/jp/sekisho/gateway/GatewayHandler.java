package jp.sekisho.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.audit.DecisionRecord;
import jp.sekisho.device.OpenTunnels;
import jp.sekisho.device.Quarantine;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.files.FileControls;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureCheck;
import jp.sekisho.session.BrowserLogin;
import jp.sekisho.session.BrowserSessions;

/**
 * The road every staff request travels:
 * normalise → route → identity → decide → forward with a signed assertion, or refuse → audit.
 *
 * <p>Fails closed: any error before the upstream is chosen ends in a refusal with a reason,
 * and nothing is forwarded. Each request leaves exactly one access record and one count.
 */
public final class GatewayHandler implements Handler<HttpServerRequest> {

    private static final Logger LOG = Logger.getLogger(GatewayHandler.class.getName());
    public static final String JWKS_PATH = "/.well-known/sekisho/jwks.json";
    static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
    static final CharSequence STRICT_TRANSPORT_SECURITY = HttpHeaders.createOptimized("strict-transport-security");

    private final Supplier<PolicySnapshot> policy;
    private final GatewayStages stages;
    private final HeaderHygiene hygiene;
    private final ForwardedHeaders forwarded;
    private final RequestIds ids;
    private final Refusals refusals;
    private final AccessLog accessLog;
    private final ProxyMetrics metrics;
    private final RequestMetrics requestMetrics;
    private final Clock clock;
    private final CharSequence assertionHeader;
    private final Buffer jwks;
    private final BrowserLogin login; // null when browser sign-in is off
    private final Quarantine quarantine;
    private final OpenTunnels tunnels;
    private final CharSequence hsts; // null when the listener is plain HTTP or HSTS is off
    private final ConnectionGuard guard;

    /**
     * @param hygiene strips identity-bearing client headers, the device evidence header among them
     */
    public GatewayHandler(Supplier<PolicySnapshot> policy, GatewayStages stages, HeaderHygiene hygiene,
                          ForwardedHeaders forwarded, RequestIds ids, Refusals refusals, AccessLog accessLog,
                          ProxyMetrics metrics, Clock clock, String assertionHeader, String jwksJson,
                          BrowserLogin login, Quarantine quarantine, OpenTunnels tunnels, String hsts,
                          ConnectionGuard guard) {
        this.policy = policy;
        this.stages = stages;
        this.hygiene = hygiene;
        this.forwarded = forwarded;
        this.ids = ids;
        this.refusals = refusals;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.requestMetrics = new RequestMetrics(metrics);
        this.clock = clock;
        this.assertionHeader = HttpHeaders.createOptimized(assertionHeader.toLowerCase(Locale.ROOT));
        this.jwks = Buffer.buffer(jwksJson);
        this.login = login;
        this.quarantine = quarantine;
        this.tunnels = tunnels;
        this.hsts = hsts == null ? null : HttpHeaders.createOptimized(hsts);
        this.guard = guard;
    }

    @Override
    public void handle(HttpServerRequest request) {
        PolicySnapshot snapshot = policy.get();
        Exchange exchange = new Exchange(request, ids.next(), clock.instant(), System.nanoTime(),
                forwarded.clientAddress(request), snapshot.version());
        HttpServerResponse response = request.response();
        response.headers().set(X_REQUEST_ID, exchange.requestId);
        if (hsts != null) {
            response.headers().set(STRICT_TRANSPORT_SECURITY, hsts);
        }
        guard.closeAfterResponseIfDraining(request, response.headers());
        response.endHandler(v -> finish(exchange));
        response.closeHandler(v -> {
            exchange.clientGone = true; // closed, or its HTTP/2 stream reset: nothing more goes upstream
            finish(exchange);
        });
        try {
            if (!guard.admit(request)) {
                refuse(exchange, Reason.TOO_MANY_CONNECTIONS);
                return;
            }
            route(exchange, snapshot);
        } catch (RuntimeException e) {
            fail(exchange, e);
        }
    }

    private void route(Exchange exchange, PolicySnapshot snapshot) {
        HttpServerRequest request = exchange.request;
        if (request.method() == HttpMethod.TRACE || request.method() == HttpMethod.CONNECT) {
            refuse(exchange, Reason.METHOD_NOT_ALLOWED);
            return;
        }
        String uri = request.uri();
        HostAndPort authority = request.authority();
        if (uri.isEmpty() || uri.charAt(0) != '/' || authority == null
                || request.headers().getAll(HttpHeaders.HOST).size() > 1 || !Framing.isUnambiguous(request)) {
            refuse(exchange, Reason.REQUEST_INVALID);
            return;
        }
        if (guard.tooManyHeaders(request)) {
            refuse(exchange, Reason.REQUEST_HEADERS_TOO_LARGE);
            return;
        }
        if (guard.bodyTooLarge(request)) {
            refuse(exchange, Reason.REQUEST_BODY_TOO_LARGE); // before anything is read or checked
            return;
        }
        if (Framing.asksToClose(request)) {
            // "Connection: close, x" is still close; Vert.x only honours the bare token
            request.response().headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            request.response().endHandler(v -> {
                finish(exchange);
                request.connection().close();
            });
        }
        int q = uri.indexOf('?');
        String path = PathNormalizer.normalize(q < 0 ? uri : uri.substring(0, q));
        exchange.host = authority.host().toLowerCase(Locale.ROOT);
        if (path == null) {
            exchange.path = "";
            refuse(exchange, Reason.PATH_INVALID);
            return;
        }
        exchange.path = path;
        if (path.equals(JWKS_PATH) && request.method() == HttpMethod.GET) {
            exchange.decision = Decision.allow(Reason.PUBLIC_ENDPOINT, "sekisho-jwks", exchange.policyVersion);
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/jwk-set+json").end(jwks);
            return;
        }
        if (login != null && path.startsWith(BrowserLogin.PREFIX) && snapshot.servesHost(exchange.host)) {
            exchange.decision = Decision.allow(Reason.LOGIN_FLOW, "sekisho-login", exchange.policyVersion);
            exchange.stage = "login";
            login.handle(request, exchange.host, path, reason -> refusals.send(request, Outcome.UNAUTHENTICATED,
                            reason, exchange.requestId, null, false), snapshot::app)
                    .onSuccess(reason -> {
                        if (reason != Reason.LOGIN_FLOW) {
                            exchange.failure = reason;
                        }
                    })
                    .onFailure(e -> fail(exchange, e));
            return;
        }
        exchange.routingPath = PathNormalizer.routingForm(path);
        App app = snapshot.route(exchange.host, exchange.routingPath).orElse(null);
        if (app == null) {
            refuse(exchange, Reason.APP_UNKNOWN);
            return;
        }
        exchange.app = app;
        if (app.files().maxUploadBytes().isPresent() && guard.announcesMoreThan(request,
                app.files().maxUploadBytes().get())) {
            refuse(exchange, Reason.REQUEST_BODY_TOO_LARGE); // the app's own limit, before anything is checked
            return;
        }
        // Pause the body now: nothing of it is read until the request is allowed.
        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);
        String pathAndQuery = q < 0 ? path : path + uri.substring(q);
        exchange.pathAndQuery = pathAndQuery;
        // From here the stages answer asynchronously; one that never answers is refused by the guard.
        guard.awaitDecision(exchange, () -> refuse(exchange, Reason.PROCESSING_TIMEOUT));
        exchange.stage = "authentication";
        stage(authenticate(exchange))
                .compose(authentication -> {
                    exchange.authentication = authentication;
                    exchange.stage = "device-evidence";
                    return stage(stages.devices().of(request));
                })
                .onSuccess(device -> {
                    exchange.device = device;
                    decide(exchange, snapshot, proxyRequest);
                })
                .onFailure(e -> fail(exchange, e));
    }

    /** A stage's answer; null (a broken stage) counts as a failure. */
    private static <T> Future<T> stage(Future<T> answer) {
        return answer != null ? answer : Future.failedFuture(new IllegalStateException("no answer"));
    }

    /** A stage failed or threw: refuse, and say which stage in the log. Never forwards. */
    private void fail(Exchange exchange, Throwable e) {
        LOG.log(Level.SEVERE, "request " + exchange.requestId + ": " + exchange.stage + " failed", e);
        metrics.stageFailed(exchange.stage);
        refuse(exchange, Reason.INTERNAL_ERROR);
    }

    /** A bearer token wins; otherwise a browser session cookie; otherwise nobody. */
    private Future<Authentication> authenticate(Exchange exchange) {
        String authorization = exchange.request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null && login != null && login.sessions().hasCookie(exchange.request)) {
            exchange.credential = "session";
            BrowserSessions.Read read = login.sessions().read(exchange.request, exchange.host);
            exchange.session = read.session().orElse(null);
            return Future.succeededFuture(read.authentication());
        }
        if (authorization != null) {
            exchange.credential = "bearer";
        }
        return stages.authenticator().authenticate(authorization);
    }

    private void decide(Exchange exchange, PolicySnapshot snapshot, ProxyRequest proxyRequest) {
        try {
            if (exchange.request.response().ended()) {
                return; // refused meanwhile (too slow, or the client left)
            }
            exchange.stage = "decision";
            Authentication authentication = exchange.authentication;
            DevicePosture device = exchange.device;
            RequestFacts.Quarantine held = new RequestFacts.Quarantine(quarantine.deviceHeld(device.deviceId()),
                    authentication instanceof Authentication.Authenticated a && quarantine.userHeld(a.identity()));
            Instant now = clock.instant();
            // The same check at the same instant as the decision's, kept for the audit record and metrics.
            exchange.postureFailures = PostureCheck.failures(device, exchange.app.posture(), now);
            // From the connection's address (or what a trusted proxy named), never from a client header.
            exchange.segment = snapshot.segments().of(exchange.clientAddress);
            Decision decision = stages.decider().decide(new RequestFacts(exchange.app, authentication, device,
                    exchange.request.method().name(), exchange.routingPath, held, isCorsPreflight(exchange.request),
                    exchange.segment, Optional.of(exchange.clientAddress)), snapshot, now);
            if (decision == null) {
                throw new IllegalStateException("the decider gave no decision");
            }
            exchange.decision = decision;
            if (!decision.allowed()) {
                refuse(exchange, null);
                return;
            }
            if (!(authentication instanceof Authentication.Authenticated authenticated)) {
                forwardWhenRecorded(exchange, proxyRequest, null); // an anonymous CORS preflight: nobody to vouch for
                return;
            }
            exchange.stage = "assertion";
            stage(stages.assertions().assertionFor(authenticated.identity(), exchange.app.id(), exchange.requestId))
                    .onSuccess(assertion -> forwardWhenRecorded(exchange, proxyRequest, assertion))
                    .onFailure(e -> fail(exchange, e));
        } catch (RuntimeException e) {
            fail(exchange, e);
        }
    }

    /**
     * In strict audit mode, forwards only once the decision record is on the disk; a trail that
     * cannot take it refuses the request (503 audit-unavailable) rather than serve it unaudited.
     */
    private void forwardWhenRecorded(Exchange exchange, ProxyRequest proxyRequest, String assertion) {
        if (!accessLog.durableBeforeForwarding()) {
            forward(exchange, proxyRequest, assertion);
            return;
        }
        exchange.stage = "audit";
        stage(accessLog.durable(new DecisionRecord(exchange.record(System.nanoTime()))))
                .onSuccess(v -> forward(exchange, proxyRequest, assertion))
                .onFailure(e -> {
                    LOG.log(Level.WARNING, "request {0}: decision record not durable ({1}); refused",
                            new Object[] {exchange.requestId, e.getMessage()});
                    refuse(exchange, Reason.AUDIT_UNAVAILABLE);
                });
    }

    private void forward(Exchange exchange, ProxyRequest proxyRequest, String assertion) {
        HttpServerRequest request = exchange.request;
        if (request.response().ended()) {
            return;
        }
        try {
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
        } catch (RuntimeException e) {
            fail(exchange, e);
        }
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
        return stage(stages.upstreams().open(exchange.app, method, exchange.pathAndQuery)).compose(upstreamRequest -> {
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

    /** Refuses the request; {@code reason} is null when the decision itself refused it. */
    private void refuse(Exchange exchange, Reason reason) {
        HttpServerResponse response = exchange.request.response();
        if (response.ended()) {
            return;
        }
        if (reason != null) {
            exchange.failure = reason;
        }
        Outcome outcome = reason == null ? exchange.decision.outcome() : Outcome.DENY;
        Reason shown = reason == null ? exchange.decision.primaryReason() : reason;
        if (reason == null && browserCanSignIn(exchange)) {
            if (outcome == Outcome.UNAUTHENTICATED && BrowserLogin.loginWouldHelp(shown)) {
                exchange.request.resume();
                login.redirectToLogin(exchange.request, exchange.host, exchange.pathAndQuery, Optional.empty());
                return;
            }
            if (outcome == Outcome.STEP_UP && exchange.session != null
                    && !login.stepUpAlreadyTried(Optional.of(exchange.session), exchange.app)) {
                metrics.stepUp(exchange.app.id(), "redirect");
                exchange.request.resume();
                login.redirectToLogin(exchange.request, exchange.host, exchange.pathAndQuery,
                        Optional.of(exchange.app));
                return;
            }
        }
        // An unread body would be left on the connection: close it rather than read it.
        boolean bodyPending = !exchange.request.isEnded() && hasBody(exchange.request);
        if (!bodyPending && !exchange.request.isEnded()) {
            exchange.request.resume(); // let the (empty) end through so keep-alive goes on
        }
        if (outcome == Outcome.STEP_UP) {
            metrics.stepUp(exchange.app.id(), "challenge");
        }
        Optional<String> reauthenticate = outcome == Outcome.STEP_UP && login != null
                ? Optional.of(BrowserLogin.reauthenticateLink(exchange.pathAndQuery, exchange.app.id()))
                : Optional.empty();
        List<Reason> failedChecks = reason == null && shown.isPostureCheck() ? exchange.decision.reasons() : List.of();
        // over the connection limit: answer, then free the slot
        boolean close = bodyPending || shown == Reason.TOO_MANY_CONNECTIONS;
        refusals.send(exchange.request, outcome, shown, exchange.requestId, exchange.app, close,
                reauthenticate, failedChecks);
    }

    /** A browser navigation that a redirect to the IdP can serve (never a script, never a POST). */
    private boolean browserCanSignIn(Exchange exchange) {
        HttpMethod method = exchange.request.method();
        return login != null && (method == HttpMethod.GET || method == HttpMethod.HEAD)
                && DenialPage.wantsHtml(exchange.request) && !exchange.request.canUpgradeToWebSocket();
    }

    /** What a browser sends before a cross-origin request: no credentials, no body (Fetch standard §4.8). */
    static boolean isCorsPreflight(HttpServerRequest request) {
        return request.method() == HttpMethod.OPTIONS && request.getHeader(HttpHeaders.ORIGIN) != null
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null
                && request.getHeader(HttpHeaders.AUTHORIZATION) == null && request.getHeader(HttpHeaders.COOKIE) == null
                && !hasBody(request);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
    }

    private void finish(Exchange exchange) {
        AccessRecord record = exchange.finish(System.nanoTime());
        if (record == null) {
            return;
        }
        guard.decided(exchange);
        guard.requestDone(exchange.request);
        accessLog.append(record);
        requestMetrics.record(exchange, record);
    }
}
