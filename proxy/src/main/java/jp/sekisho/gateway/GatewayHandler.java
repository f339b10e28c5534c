package jp.sekisho.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
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
import jp.sekisho.assertion.AssertionSigner;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.audit.AccessRecord;
import jp.sekisho.device.DeviceEvidence;
import jp.sekisho.device.OpenTunnels;
import jp.sekisho.device.Quarantine;
import jp.sekisho.identity.BearerAuthenticator;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.PolicyEngine;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
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
    private final BearerAuthenticator authenticator;
    private final AssertionSigner signer;
    private final Upstreams upstreams;
    private final HeaderHygiene hygiene;
    private final ForwardedHeaders forwarded;
    private final RequestIds ids;
    private final Refusals refusals;
    private final AccessLog accessLog;
    private final ProxyMetrics metrics;
    private final Clock clock;
    private final CharSequence assertionHeader;
    private final Buffer jwks;
    private final BrowserLogin login; // null when browser sign-in is off
    private final DeviceEvidence devices;
    private final Quarantine quarantine;
    private final OpenTunnels tunnels;
    private final CharSequence hsts; // null when the listener is plain HTTP or HSTS is off
    private final ConnectionGuard guard;

    public GatewayHandler(Supplier<PolicySnapshot> policy, BearerAuthenticator authenticator, AssertionSigner signer,
                          Upstreams upstreams, HeaderHygiene hygiene, ForwardedHeaders forwarded, RequestIds ids,
                          Refusals refusals, AccessLog accessLog, ProxyMetrics metrics, Clock clock, String assertionHeader,
                          String jwksJson, BrowserLogin login, DeviceEvidence devices, Quarantine quarantine,
                          OpenTunnels tunnels, String hsts, ConnectionGuard guard) {
        this.policy = policy;
        this.authenticator = authenticator;
        this.signer = signer;
        this.upstreams = upstreams;
        this.hygiene = hygiene;
        this.forwarded = forwarded;
        this.ids = ids;
        this.refusals = refusals;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.clock = clock;
        this.assertionHeader = HttpHeaders.createOptimized(assertionHeader.toLowerCase(Locale.ROOT));
        this.jwks = Buffer.buffer(jwksJson);
        this.login = login;
        this.devices = devices;
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
        response.endHandler(v -> finish(exchange));
        response.closeHandler(v -> finish(exchange));
        try {
            if (!guard.admit(request)) {
                refuse(exchange, Reason.TOO_MANY_CONNECTIONS);
                return;
            }
            route(exchange, snapshot);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request " + exchange.requestId + " failed before a decision", e);
            refuse(exchange, Reason.INTERNAL_ERROR);
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
            login.handle(request, exchange.host, path, reason -> refusals.send(request, Outcome.UNAUTHENTICATED,
                            reason, exchange.requestId, null, false), snapshot::app)
                    .onSuccess(reason -> {
                        if (reason != Reason.LOGIN_FLOW) {
                            exchange.failure = reason;
                        }
                    })
                    .onFailure(e -> {
                        LOG.log(Level.SEVERE, "request " + exchange.requestId + ": login flow failed", e);
                        refuse(exchange, Reason.INTERNAL_ERROR);
                    });
            return;
        }
        App app = snapshot.route(exchange.host, PathNormalizer.routingForm(path)).orElse(null);
        if (app == null) {
            refuse(exchange, Reason.APP_UNKNOWN);
            return;
        }
        exchange.app = app;
        if (request.version() == HttpVersion.HTTP_2 && !request.isEnded()
                && request.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            // An HTTP/2 body of unannounced length goes to the HTTP/1.1 upstream chunked.
            request.headers().set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
        }
        // Pause the body now: nothing of it is read until the request is allowed.
        ProxyRequest proxyRequest = ProxyRequest.reverseProxy(request);
        String pathAndQuery = q < 0 ? path : path + uri.substring(q);
        exchange.pathAndQuery = pathAndQuery;
        authenticate(exchange)
                .otherwise(e -> {
                    LOG.log(Level.SEVERE, "request " + exchange.requestId + ": authentication failed unexpectedly", e);
                    return Authentication.failed(Reason.INTERNAL_ERROR);
                })
                .compose(authentication -> devices.of(request).map(device -> {
                    exchange.device = device;
                    return authentication;
                }))
                .onSuccess(authentication -> decide(exchange, snapshot, proxyRequest, authentication, pathAndQuery))
                .onFailure(e -> {
                    LOG.log(Level.SEVERE, "request " + exchange.requestId + ": device evidence failed unexpectedly", e);
                    refuse(exchange, Reason.INTERNAL_ERROR);
                });
    }

    /** A bearer token wins; otherwise a browser session cookie; otherwise nobody. */
    private io.vertx.core.Future<Authentication> authenticate(Exchange exchange) {
        String authorization = exchange.request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null && login != null && login.sessions().hasCookie(exchange.request)) {
            BrowserSessions.Read read = login.sessions().read(exchange.request, exchange.host);
            exchange.session = read.session().orElse(null);
            return io.vertx.core.Future.succeededFuture(read.authentication());
        }
        return authenticator.authenticate(authorization);
    }

    private void decide(Exchange exchange, PolicySnapshot snapshot, ProxyRequest proxyRequest,
                        Authentication authentication, String pathAndQuery) {
        try {
            exchange.authentication = authentication;
            DevicePosture device = exchange.device;
            RequestFacts.Quarantine held = new RequestFacts.Quarantine(quarantine.deviceHeld(device.deviceId()),
                    authentication instanceof Authentication.Authenticated a && quarantine.userHeld(a.identity()));
            Instant now = clock.instant();
            // The same check at the same instant as the decision's, kept for the audit record and metrics.
            exchange.postureFailures = PostureCheck.failures(device, exchange.app.posture(), now);
            Decision decision = PolicyEngine.decide(new RequestFacts(exchange.app, authentication, device,
                    exchange.request.method().name(), exchange.path, held), snapshot, now);
            exchange.decision = decision;
            if (!decision.allowed()) {
                refuse(exchange, null);
                return;
            }
            Authentication.Authenticated authenticated = (Authentication.Authenticated) authentication;
            signer.assertionFor(authenticated.identity(), exchange.app.id(), exchange.requestId)
                    .onSuccess(assertion -> forward(exchange, proxyRequest, assertion, pathAndQuery))
                    .onFailure(e -> {
                        LOG.log(Level.SEVERE, "request " + exchange.requestId + ": assertion signing failed", e);
                        refuse(exchange, Reason.INTERNAL_ERROR);
                    });
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "request " + exchange.requestId + " failed while deciding", e);
            refuse(exchange, Reason.INTERNAL_ERROR);
        }
    }

    private void forward(Exchange exchange, ProxyRequest proxyRequest, String assertion, String pathAndQuery) {
        HttpServerRequest request = exchange.request;
        boolean webSocket = request.canUpgradeToWebSocket();
        MultiMap headers = proxyRequest.headers();
        HeaderHygiene.removeHopByHop(headers, webSocket);
        hygiene.removeIdentityHeaders(headers);
        headers.remove(HttpHeaders.AUTHORIZATION); // the user's token was for Sekisho, not the app
        headers.remove(devices.header()); // so was the device's
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
        forwarded.apply(request, headers);
        headers.set(X_REQUEST_ID, exchange.requestId);
        headers.set(assertionHeader, assertion);
        if (webSocket) {
            WebSocketForwarding.forward(exchange, proxyRequest, upstreams, pathAndQuery, tunnels, this::failUpstream);
            return;
        }
        if (expectsContinue) {
            request.response().writeContinue(); // only now: the request has been decided
        }
        upstreams.open(exchange.app, proxyRequest.getMethod(), pathAndQuery)
                .compose(upstreamRequest -> {
                    proxyRequest.setURI(upstreamRequest.getURI()); // the canonical path, never the raw one
                    return proxyRequest.send(upstreamRequest);
                })
                .onSuccess(upstreamResponse -> relay(exchange, upstreamResponse))
                .onFailure(e -> failUpstream(exchange, e));
    }

    private void relay(Exchange exchange, ProxyResponse upstreamResponse) {
        HeaderHygiene.removeHopByHop(upstreamResponse.headers(), false);
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
        Reason reason = Upstreams.reasonFor(e);
        LOG.log(Level.FINE, "request {0}: upstream of {1} failed: {2}",
                new Object[] {exchange.requestId, exchange.app.id(), e.getMessage()});
        HttpServerResponse response = exchange.request.response();
        exchange.failure = reason;
        if (response.headWritten()) {
            response.reset();
            return;
        }
        refusals.send(exchange.request, Outcome.ALLOW, reason, exchange.requestId, exchange.app,
                !exchange.request.isEnded());
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

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
    }

    private void finish(Exchange exchange) {
        AccessRecord record = exchange.finish(System.nanoTime());
        if (record == null) {
            return;
        }
        guard.requestDone(exchange.request);
        accessLog.append(record);
        if (exchange.app != null && exchange.decision != null && exchange.device != null) {
            metrics.postureResult(exchange.app.id(), record.device().failed().isEmpty()
                    ? record.device().result() : record.device().failed().get(0));
        }
        metrics.request(exchange.app == null ? ProxyMetrics.NO_APP : exchange.app.id(), record.outcome(),
                exchange.finalReason(), record.status(), record.durationNanos());
    }
}
