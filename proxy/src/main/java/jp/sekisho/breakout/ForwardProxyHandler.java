package jp.sekisho.breakout;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.audit.AccessLog;
import jp.sekisho.device.OpenTunnels;
import jp.sekisho.device.Quarantine;
import jp.sekisho.gateway.DenialPage;
import jp.sekisho.gateway.GatewayStages;
import jp.sekisho.gateway.Refusals;
import jp.sekisho.gateway.RequestIds;
import jp.sekisho.metrics.BreakoutMetrics;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.PolicySnapshot;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.RequestFacts;
import jp.sekisho.policy.breakout.BreakoutDecision;
import jp.sekisho.policy.breakout.BreakoutEngine;
import jp.sekisho.policy.breakout.BreakoutEntry;
import jp.sekisho.policy.breakout.BreakoutPolicy;
import jp.sekisho.policy.breakout.BreakoutRequest;
import jp.sekisho.policy.breakout.Destination;
import jp.sekisho.policy.breakout.ParentProxy;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.posture.DevicePosture;

/**
 * The forward proxy: {@code CONNECT host:port} tunnels and absolute-form HTTP requests from staff
 * terminals, each decided by the policy's breakout section with the same identity, MFA, posture
 * and quarantine checks as app access, and each leaving one audit record in the same chain.
 *
 * <p>Nothing leaves before the decision: a refused destination is never resolved or connected
 * to. An allowed name is resolved once and the tunnel connects to an address checked by
 * {@link AddressGuard}, so a DNS answer cannot steer it into the internal network.
 */
public final class ForwardProxyHandler implements Handler<HttpServerRequest> {

    private static final Logger LOG = Logger.getLogger(ForwardProxyHandler.class.getName());
    private static final String PROXY_AUTHORIZATION = "proxy-authorization";
    private static final String PROXY_AUTHENTICATE = "proxy-authenticate";
    private static final String PROXY_STATUS = "proxy-status";

    /** How long tunnels live and how long connecting may take. */
    public record Limits(Duration idleTimeout, Duration maxDuration, Duration connectTimeout) {
    }

    /**
     * Where the identity, device and holds of a request come from (the gateway's own stages), and
     * whom a refused person should call.
     */
    public record Checks(GatewayStages.Authenticator authenticator, GatewayStages.DeviceLookup devices,
                         String deviceHeader, Quarantine quarantine, OpenTunnels tunnels, String helpdesk) {
    }

    /** How destinations are reached. */
    public record Connections(DestinationResolver resolver, NetClient net, HttpClient http,
                              Optional<Interceptor> interceptor) {
    }

    private final Vertx vertx;
    private final Supplier<PolicySnapshot> policy;
    private final Checks checks;
    private final Connections connections;
    private final ParentConnector parents;
    private final PlainHttpForwarding plainHttp;
    private final AccessLog audit;
    private final BreakoutMetrics metrics;
    private final RequestIds ids;
    private final Clock clock;
    private final Limits limits;

    public ForwardProxyHandler(Vertx vertx, Supplier<PolicySnapshot> policy, Checks checks, Connections connections,
                               AccessLog audit, BreakoutMetrics metrics, RequestIds ids, Clock clock, Limits limits) {
        this.vertx = vertx;
        this.policy = policy;
        this.checks = checks;
        this.connections = connections;
        this.parents = new ParentConnector(vertx, connections.net(), limits.connectTimeout());
        this.plainHttp = new PlainHttpForwarding(connections.http(), checks.deviceHeader(), metrics, limits,
                this::refuseAfterDecision, (attempt, up, down, closedBy) -> finish(attempt, Outcome.ALLOW, up, down,
                closedBy));
        this.audit = audit;
        this.metrics = metrics;
        this.ids = ids;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public void handle(HttpServerRequest request) {
        long start = System.nanoTime();
        request.pause();
        String source = request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress();
        boolean connect = request.method() == HttpMethod.CONNECT;
        Optional<Destination> destination = connect ? Destination.parseAuthority(request.uri())
                : absoluteForm(request.uri());
        Attempt attempt = new Attempt(request, ids.next(), clock.instant(), start, source,
                destination.map(Destination::host).orElse(printable(request.uri())), destination.map(Destination::port).orElse(0));
        PolicySnapshot snapshot = policy.get();
        attempt.policyVersion = snapshot.version();
        attempt.segment = snapshot.segments().of(source);
        if (destination.isEmpty()) {
            refuse(attempt, Outcome.DENY, List.of(Reason.DESTINATION_INVALID), null);
            return;
        }
        Future<Authentication> authentication;
        Future<DevicePosture> device;
        try {
            authentication = checks.authenticator().authenticate(request.getHeader(PROXY_AUTHORIZATION));
            device = checks.devices().of(request);
        } catch (RuntimeException e) {
            failed(attempt, e);
            return;
        }
        Future.all(authentication, device).onComplete(ar -> {
            if (ar.failed()) {
                failed(attempt, ar.cause());
                return;
            }
            try {
                decide(attempt, destination.get(), snapshot, authentication.result(), device.result());
            } catch (RuntimeException e) {
                failed(attempt, e);
            }
        });
    }

    private void decide(Attempt attempt, Destination destination, PolicySnapshot snapshot,
                        Authentication authentication, DevicePosture device) {
        attempt.authentication = authentication;
        attempt.device = device;
        RequestFacts.Quarantine held = new RequestFacts.Quarantine(checks.quarantine().deviceHeld(device.deviceId()),
                authentication instanceof Authentication.Authenticated a && checks.quarantine().userHeld(a.identity()));
        BreakoutPolicy breakout = snapshot.breakout();
        BreakoutDecision decision = BreakoutEngine.decide(new BreakoutRequest(destination, authentication, device, held,
                attempt.segment, Optional.of(attempt.source)), breakout, snapshot.version(), clock.instant());
        attempt.decision = decision;
        attempt.policyVersion = decision.decision().policyVersion();
        if (!decision.allowed()) {
            Decision refused = decision.decision();
            refuse(attempt, refused.outcome(), refused.reasons(),
                    decision.entry().map(BreakoutEntry::mfa).orElse(null));
            return;
        }
        if (decision.parent().isPresent()) {
            throughParent(attempt, destination, decision.parent().get());
        } else {
            resolveAndConnect(attempt, destination, decision.entry().get(), breakout);
        }
    }

    private void throughParent(Attempt attempt, Destination destination, ParentProxy parent) {
        if (attempt.request.method() != HttpMethod.CONNECT) {
            plainHttp.forward(attempt, destination, null, parent);
            return;
        }
        parents.connect(parent, destination).onComplete(ar -> {
            if (ar.failed()) {
                metrics.connectFailed(Reason.PARENT_PROXY_FAILED.code());
                LOG.warning("request " + attempt.requestId + ": parent proxy " + parent.id() + " for "
                        + destination.authority() + ": " + ar.cause().getMessage());
                refuseAfterDecision(attempt, Reason.PARENT_PROXY_FAILED);
                return;
            }
            establish(attempt, ar.result().socket(), ar.result().early());
        });
    }

    private void resolveAndConnect(Attempt attempt, Destination destination, BreakoutEntry entry,
                                   BreakoutPolicy breakout) {
        Future<List<InetAddress>> resolved;
        if (destination.ipLiteral()) {
            try {
                resolved = Future.succeededFuture(List.of(InetAddress.getByName(destination.host()))); // a literal: no lookup
            } catch (UnknownHostException e) {
                resolved = Future.failedFuture(e);
            }
        } else {
            resolved = connections.resolver().resolve(destination.host());
        }
        resolved.onComplete(ar -> {
            if (ar.failed()) {
                refuseAfterDecision(attempt, Reason.DESTINATION_UNRESOLVED);
                return;
            }
            List<InetAddress> permitted = AddressGuard.permitted(ar.result(), entry.allowPrivate());
            if (permitted.isEmpty()) {
                LOG.warning("request " + attempt.requestId + ": " + destination.host() + " resolved only to addresses"
                        + " a tunnel may not reach (" + ar.result() + "); refused");
                refuseAfterDecision(attempt, Reason.DESTINATION_PRIVATE_ADDRESS);
                return;
            }
            if (attempt.request.method() != HttpMethod.CONNECT) {
                attempt.address = AddressGuard.text(permitted.get(0));
                plainHttp.forward(attempt, destination, permitted.get(0), null);
                return;
            }
            boolean intercept = connections.interceptor().isPresent()
                    && breakout.tenantRestrictions().intercepts(destination.host());
            attempt.intercepted = intercept;
            Future<NetSocket> connected = intercept
                    ? connections.interceptor().get().open(destination.host(), destination.port(), permitted.get(0),
                    breakout.tenantRestrictions().headers())
                    : connectFirst(attempt, permitted, 0, destination.port());
            if (intercept) {
                attempt.address = AddressGuard.text(permitted.get(0));
            }
            connected.onComplete(c -> {
                if (c.failed()) {
                    Reason reason = timedOut(c.cause()) ? Reason.UPSTREAM_TIMEOUT : Reason.UPSTREAM_UNREACHABLE;
                    metrics.connectFailed(reason.code());
                    refuseAfterDecision(attempt, reason);
                    return;
                }
                establish(attempt, c.result(), Buffer.buffer());
            });
        });
    }

    /**
     * Connects to the first of the checked addresses that answers, in the resolver's order (a
     * name with an IPv6 and an IPv4 address, where only one of them listens, still connects).
     */
    private Future<NetSocket> connectFirst(Attempt attempt, List<InetAddress> addresses, int index, int port) {
        InetAddress address = addresses.get(index);
        attempt.address = AddressGuard.text(address);
        return connections.net().connect(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .recover(e -> index + 1 < addresses.size() && !timedOut(e)
                        ? connectFirst(attempt, addresses, index + 1, port) : Future.failedFuture(e));
    }

    /** Answers 200 to the CONNECT and relays until either side ends. */
    private void establish(Attempt attempt, NetSocket destination, Buffer early) {
        destination.pause();
        attempt.request.toNetSocket().onComplete(ar -> {
            if (ar.failed()) {
                destination.close();
                finish(attempt, Outcome.ALLOW, 0, 0, Optional.of(Tunnel.ERROR));
                return;
            }
            NetSocket client = ar.result();
            client.pause();
            metrics.tunnelOpened();
            AtomicReference<OpenTunnels.Tunnel> registered = new AtomicReference<>();
            Tunnel tunnel = new Tunnel(vertx, client, destination, limits.idleTimeout(), limits.maxDuration(),
                    result -> {
                        OpenTunnels.Tunnel open = registered.get();
                        if (open != null) {
                            open.closed();
                        }
                        metrics.tunnelEnded();
                        metrics.tunnelClosed(result.closedBy());
                        metrics.bytes(attempt.category(), "up", result.bytesUp());
                        metrics.bytes(attempt.category(), "down", result.bytesDown());
                        finish(attempt, Outcome.ALLOW, result.bytesUp(), result.bytesDown(),
                                Optional.of(result.closedBy()));
                    });
            tunnel.start(early);
            var identity = attempt.authentication instanceof Authentication.Authenticated a ? a.identity() : null;
            registered.set(checks.tunnels().opened(attempt.device.deviceId(), identity == null ? "" : identity.username(),
                    identity == null ? "" : identity.subject(), () -> tunnel.close(Tunnel.QUARANTINE)));
        });
    }

    /** Allowed, but the destination could not be reached: refused, and recorded as such. */
    private void refuseAfterDecision(Attempt attempt, Reason reason) {
        refuse(attempt, Outcome.DENY, List.of(reason), null);
    }

    private void failed(Attempt attempt, Throwable cause) {
        LOG.log(Level.WARNING, "request " + attempt.requestId + " could not be checked; refused", cause);
        refuse(attempt, Outcome.DENY, List.of(Reason.INTERNAL_ERROR), null);
    }

    /** Answers a refusal (407 for sign-in and step-up, with the RFC 9470 challenge) and records it. */
    private void refuse(Attempt attempt, Outcome outcome, List<Reason> reasons, MfaRequirement requirement) {
        HttpServerRequest request = attempt.request;
        Reason shown = reasons.get(0);
        int status = status(outcome, shown);
        HttpServerResponse response = request.response();
        if (!response.headWritten()) {
            response.setStatusCode(status);
            response.headers().set(HttpHeaders.CACHE_CONTROL, "no-store")
                    .set(HttpHeaders.CONTENT_TYPE, "application/json")
                    .set(PROXY_STATUS, "sekisho; error=" + proxyStatusError(outcome, shown) + "; details=\""
                            + shown.code() + "\"")
                    .set(HttpHeaders.CONNECTION, "close");
            if (status == 407) {
                response.headers().set(PROXY_AUTHENTICATE, Refusals.challenge(outcome, shown,
                        Optional.ofNullable(requirement)));
            }
            String body;
            if (request.method() != HttpMethod.CONNECT && DenialPage.wantsHtml(request)) {
                // a browser shows the answer to a plain-HTTP request: the same page as for apps
                response.headers().set(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                        .set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
                        .set("x-content-type-options", "nosniff");
                body = DenialPage.render(shown, attempt.requestId,
                        DenialPage.language(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE)), checks.helpdesk(),
                        Optional.ofNullable(requirement));
            } else {
                body = new JsonObject().put("error", shown.code()).put("requestId", attempt.requestId)
                        .put("destination", attempt.host + (attempt.port > 0 ? ":" + attempt.port : ""))
                        .put("message", message(shown)).encode();
            }
            response.end(body).onComplete(v -> request.connection().close());
        } else {
            request.connection().close();
        }
        finish(attempt, outcome, reasons, status, 0, 0, Optional.empty());
    }

    private void finish(Attempt attempt, Outcome outcome, long up, long down, Optional<String> closedBy) {
        List<Reason> reasons = attempt.decision == null ? List.of(Reason.INTERNAL_ERROR)
                : attempt.decision.decision().reasons();
        int status = attempt.request.method() == HttpMethod.CONNECT ? 200 : attempt.request.response().getStatusCode();
        finish(attempt, outcome, reasons, status, up, down, closedBy);
    }

    private void finish(Attempt attempt, Outcome outcome, List<Reason> reasons, int status, long up, long down,
                        Optional<String> closedBy) {
        metrics.decided(attempt.category(), outcome.code(), reasons.get(0).code(), attempt.entryLabel());
        audit.append(attempt.record(outcome, reasons, status, up, down, System.nanoTime(), closedBy));
    }

    static int status(Outcome outcome, Reason reason) {
        if (outcome == Outcome.UNAUTHENTICATED || outcome == Outcome.STEP_UP) {
            return 407;
        }
        return switch (reason) {
            case DESTINATION_INVALID -> 400;
            case DESTINATION_UNRESOLVED, UPSTREAM_UNREACHABLE, UPSTREAM_FAILED, UPSTREAM_TLS_FAILED,
                 PARENT_PROXY_FAILED -> 502;
            case UPSTREAM_TIMEOUT -> 504;
            case INTERNAL_ERROR -> 500;
            default -> 403;
        };
    }

    /** The RFC 9209 error type, so that a client or a log reader can tell the proxy's refusals apart. */
    private static String proxyStatusError(Outcome outcome, Reason reason) {
        if (outcome == Outcome.UNAUTHENTICATED || outcome == Outcome.STEP_UP) {
            return "http_request_denied";
        }
        return switch (reason) {
            case DESTINATION_INVALID -> "http_request_error";
            case DESTINATION_UNRESOLVED -> "dns_error";
            case DESTINATION_IP_LITERAL, DESTINATION_PRIVATE_ADDRESS -> "destination_ip_prohibited";
            case UPSTREAM_UNREACHABLE, UPSTREAM_FAILED, PARENT_PROXY_FAILED -> "destination_unavailable";
            case UPSTREAM_TIMEOUT -> "connection_timeout";
            case UPSTREAM_TLS_FAILED -> "tls_certificate_error";
            case INTERNAL_ERROR -> "proxy_internal_error";
            default -> "http_request_denied";
        };
    }

    private static String message(Reason reason) {
        return switch (reason) {
            case TOKEN_MISSING -> "Sign in: the proxy needs a bearer token in Proxy-Authorization.";
            case DESTINATION_NOT_ALLOWED -> "This destination is not on the local-breakout allowlist.";
            case DESTINATION_PORT_NOT_ALLOWED -> "This destination is allowlisted, but not on this port.";
            case DESTINATION_IP_LITERAL -> "Name the destination by its host name: IP addresses are not allowed.";
            case DESTINATION_INVALID -> "Send CONNECT host:port, or an absolute http:// URL.";
            case DESTINATION_PRIVATE_ADDRESS -> "The destination's name points into the internal network; refused.";
            case DESTINATION_UNRESOLVED -> "The destination's name could not be resolved.";
            case ISMAP_EXPIRED -> "The service's ISMAP registration has expired; ask the information systems section.";
            case ISMAP_NOT_YET_VALID -> "The service's ISMAP registration is not valid yet.";
            case PARENT_PROXY_FAILED -> "The security cloud's proxy could not open the connection.";
            case UPSTREAM_UNREACHABLE, UPSTREAM_FAILED -> "The destination cannot be reached right now.";
            case UPSTREAM_TIMEOUT -> "The destination did not answer in time.";
            case DEVICE_QUARANTINED -> "IT has cut this device off; follow their instructions.";
            case USER_QUARANTINED -> "IT has cut this account off; contact them.";
            case INTERNAL_ERROR -> "The request could not be checked, so it was refused.";
            default -> reason.isPostureCheck() ? "This device does not meet the destination's device requirements."
                    : "The proxy's policy does not let this request through (" + reason.code() + ").";
        };
    }

    /** The destination of an absolute-form request; only {@code http://} (HTTPS goes by CONNECT). */
    private static Optional<Destination> absoluteForm(String target) {
        if (target == null || !target.regionMatches(true, 0, "http://", 0, 7)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(target);
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Destination.of(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static boolean timedOut(Throwable cause) {
        return cause instanceof io.netty.channel.ConnectTimeoutException
                || cause instanceof java.util.concurrent.TimeoutException
                || String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("timed out");
    }

    private static String printable(String text) {
        if (text == null) {
            return "-";
        }
        String shown = text.length() > 255 ? text.substring(0, 255) : text;
        return shown.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
