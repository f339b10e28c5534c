package jp.sekisho.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.httpproxy.ProxyRequest;
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
    private final ForwardedHeaders forwarded;
    private final RequestIds ids;
    private final Refusals refusals;
    private final AccessLog accessLog;
    private final ProxyMetrics metrics;
    private final RequestMetrics requestMetrics;
    private final Clock clock;
    private final Buffer jwks;
    private final BrowserLogin login; // null when browser sign-in is off
    private final Quarantine quarantine;
    private final CharSequence hsts; // null when the listener is plain HTTP or HSTS is off
    private final ConnectionGuard guard;
    private final Forwarding forwarding;

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
        this.forwarded = forwarded;
        this.ids = ids;
        this.refusals = refusals;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.requestMetrics = new RequestMetrics(metrics);
        this.clock = clock;
        this.jwks = Buffer.buffer(jwksJson);
        this.login = login;
        this.quarantine = quarantine;
        this.hsts = hsts == null ? null : HttpHeaders.createOptimized(hsts);
        this.guard = guard;
        this.forwarding = new Forwarding(stages.upstreams(), guard, refusals, hygiene, forwarded, login,
                HttpHeaders.createOptimized(assertionHeader.toLowerCase(Locale.ROOT)), this.hsts, tunnels, metrics);
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
    static <T> Future<T> stage(Future<T> answer) {
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
            exchange.corsPreflight = isCorsPreflight(exchange.request);
            Decision decision = stages.decider().decide(new RequestFacts(exchange.app, authentication, device,
                    exchange.request.method().name(), exchange.routingPath, held, exchange.corsPreflight,
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
        try {
            forwarding.forward(exchange, proxyRequest, assertion);
        } catch (RuntimeException e) {
            fail(exchange, e);
        }
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
