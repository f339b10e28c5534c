package jp.sekisho.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.policy.mfa.MfaRequirement;

/**
 * The responses the proxy writes itself. A browser gets a page in its language
 * ({@link DenialPage}); an API client gets JSON naming the reason code and request id, and for
 * a step-up the RFC 9470 challenge ({@code insufficient_user_authentication} with
 * {@code acr_values} and {@code max_age}) so it can ask the IdP for what the app needs.
 */
public final class Refusals {

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence TEXT_HTML = HttpHeaders.createOptimized("text/html; charset=utf-8");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("www-authenticate");
    private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");
    private static final CharSequence PAGE_POLICY = HttpHeaders.createOptimized(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    private static final Map<Reason, String> MESSAGES = new EnumMap<>(Reason.class);

    static {
        MESSAGES.put(Reason.USER_NOT_ALLOWED, "You are signed in, but this app's policy does not let you in.");
        MESSAGES.put(Reason.SEGMENT_NOT_ALLOWED, "This app is not available from the network this device is on.");
        MESSAGES.put(Reason.MFA_METHOD_MISSING, "This app needs a stronger sign-in method; authenticate again.");
        MESSAGES.put(Reason.MFA_FACTORS_INSUFFICIENT, "This app needs multi-factor authentication.");
        MESSAGES.put(Reason.MFA_TOO_OLD, "Your authentication is too old for this app; authenticate again.");
        MESSAGES.put(Reason.MFA_AUTH_TIME_MISSING, "The token has no auth_time, so freshness cannot be proven.");
        MESSAGES.put(Reason.TOKEN_MISSING, "Sign in: this app needs a bearer token.");
        MESSAGES.put(Reason.TOKEN_EXPIRED, "Your sign-in has expired; sign in again.");
        MESSAGES.put(Reason.TOKEN_NOT_YET_VALID, "The token is not valid yet; check the device clock.");
        MESSAGES.put(Reason.TOKEN_ISSUED_IN_FUTURE, "The token was issued in the future; check the IdP clock.");
        MESSAGES.put(Reason.ISSUER_KEYS_UNAVAILABLE, "Sign-in cannot be checked right now; try again shortly.");
        MESSAGES.put(Reason.DEVICE_QUARANTINED, "IT has cut this device off; follow their instructions.");
        MESSAGES.put(Reason.USER_QUARANTINED, "IT has cut this account off; contact them.");
        MESSAGES.put(Reason.DEVICE_UNKNOWN, "This app needs a managed device: send a device certificate or posture token.");
        MESSAGES.put(Reason.DEVICE_POSTURE_MISSING, "This app needs a device posture token.");
        MESSAGES.put(Reason.DEVICE_TOKEN_EXPIRED, "The device posture token has expired; get a fresh one.");
        MESSAGES.put(Reason.APP_UNKNOWN, "No app is served at this address.");
        MESSAGES.put(Reason.PATH_INVALID, "The request path is not allowed.");
        MESSAGES.put(Reason.REQUEST_INVALID, "The request is malformed.");
        MESSAGES.put(Reason.REQUEST_HEADERS_TOO_LARGE, "The request has too many or too large headers.");
        MESSAGES.put(Reason.REQUEST_BODY_TOO_LARGE, "The request body is larger than this service accepts.");
        MESSAGES.put(Reason.PROCESSING_TIMEOUT, "The request could not be checked in time, so it was refused; try again.");
        MESSAGES.put(Reason.AUDIT_UNAVAILABLE, "The request could not be recorded for audit, so it was not passed on; "
                + "try again, and tell the helpdesk if it keeps happening.");
        MESSAGES.put(Reason.TOO_MANY_CONNECTIONS, "The proxy is at its connection limit; try again shortly.");
        MESSAGES.put(Reason.METHOD_NOT_ALLOWED, "This HTTP method is not allowed here.");
        MESSAGES.put(Reason.UPSTREAM_UNREACHABLE, "The app cannot be reached right now.");
        MESSAGES.put(Reason.UPSTREAM_TIMEOUT, "The app did not answer in time.");
        MESSAGES.put(Reason.UPSTREAM_TLS_FAILED, "The app's server could not prove who it is, so nothing was sent to it.");
        MESSAGES.put(Reason.UPSTREAM_FAILED, "The app's answer could not be delivered.");
        MESSAGES.put(Reason.INTERNAL_ERROR, "The request could not be checked, so it was refused.");
    }

    private final String helpdesk;

    /** @param helpdesk who staff should contact, shown on pages */
    public Refusals(String helpdesk) {
        this.helpdesk = helpdesk;
    }

    /** The HTTP status for a refusal. */
    public static int status(Outcome outcome, Reason reason) {
        return switch (reason) {
            case PATH_INVALID, REQUEST_INVALID -> 400;
            case REQUEST_LINE_TOO_LONG -> 414;
            case REQUEST_HEADERS_TOO_LARGE -> 431;
            case REQUEST_BODY_TOO_LARGE -> 413;
            case DOWNLOAD_BLOCKED, PERSONAL_DATA_DETECTED -> 403;
            case TOO_MANY_CONNECTIONS, PROCESSING_TIMEOUT, AUDIT_UNAVAILABLE -> 503;
            case APP_UNKNOWN -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case ISSUER_KEYS_UNAVAILABLE -> 503;
            case UPSTREAM_UNREACHABLE, UPSTREAM_FAILED, UPSTREAM_TLS_FAILED -> 502;
            case UPSTREAM_TIMEOUT -> 504;
            case INTERNAL_ERROR -> 500;
            default -> outcome == Outcome.UNAUTHENTICATED || outcome == Outcome.STEP_UP ? 401 : 403;
        };
    }

    /**
     * Writes the refusal and ends the response.
     *
     * @param app             the app the request was for, when known (its MFA requirement shapes a step-up)
     * @param closeConnection close after responding, because an unread request body remains
     */
    public void send(HttpServerRequest request, Outcome outcome, Reason reason, String requestId, App app,
                     boolean closeConnection) {
        send(request, outcome, reason, requestId, app, closeConnection, Optional.empty(), List.of());
    }

    /**
     * @param reauthenticate a same-host link that starts a fresh sign-in, shown on the page
     * @param failedChecks   every unmet posture check when the refusal is for the device (starting with
     *                       {@code reason}); empty otherwise
     */
    public void send(HttpServerRequest request, Outcome outcome, Reason reason, String requestId, App app,
                     boolean closeConnection, Optional<String> reauthenticate, List<Reason> failedChecks) {
        HttpServerResponse response = request.response();
        int status = status(outcome, reason);
        Optional<MfaRequirement> requirement = outcome == Outcome.STEP_UP && app != null
                ? Optional.of(app.mfa()) : Optional.empty();
        response.setStatusCode(status);
        response.headers().set(HttpHeaders.CACHE_CONTROL, NO_STORE);
        if (status == 401) {
            response.headers().set(WWW_AUTHENTICATE, challenge(outcome, reason, requirement));
        }
        if (status == 503 || reason == Reason.TOO_MANY_CONNECTIONS) {
            response.headers().set(HttpHeaders.RETRY_AFTER, "5");
        }
        // HTTP/2 has no Connection header, and closing would end every other stream: the stream ends alone.
        boolean close = closeConnection && request.version() != io.vertx.core.http.HttpVersion.HTTP_2;
        if (close) {
            response.headers().set(HttpHeaders.CONNECTION, CLOSE);
        }
        Buffer body;
        if (DenialPage.wantsHtml(request)) {
            response.headers().set(HttpHeaders.CONTENT_TYPE, TEXT_HTML)
                    .set("content-security-policy", PAGE_POLICY)
                    .set("x-content-type-options", "nosniff")
                    .set("referrer-policy", "no-referrer");
            body = Buffer.buffer(DenialPage.render(reason, requestId,
                    DenialPage.language(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE)), helpdesk, requirement,
                    reauthenticate, failedChecks));
        } else {
            response.headers().set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
            JsonObject json = json(outcome, reason, requestId, requirement);
            if (!failedChecks.isEmpty()) {
                JsonArray failed = new JsonArray();
                failedChecks.forEach(check -> failed.add(check.code()));
                json.put("failedChecks", failed);
            }
            body = Buffer.buffer(json.encode());
        }
        boolean http2 = request.version() == io.vertx.core.http.HttpVersion.HTTP_2;
        if (close) {
            // Close in the same turn as the answer: bytes already received after this request
            // (a pipelined or smuggled one) are never read as a request.
            response.end(body);
            request.connection().close();
            return;
        }
        response.end(body).onComplete(ar -> {
            if (http2 && closeConnection && !request.isEnded()) {
                // An unread HTTP/2 body would hold the connection's flow-control window: end the stream.
                response.reset(0);
            }
        });
    }

    /** The bearer challenge for a refusal (RFC 6750; RFC 9470 for a step-up); also the forward proxy's Proxy-Authenticate. */
    public static String challenge(Outcome outcome, Reason reason, Optional<MfaRequirement> requirement) {
        if (reason == Reason.TOKEN_MISSING) {
            return "Bearer realm=\"sekisho\"";
        }
        if (outcome != Outcome.STEP_UP) {
            return "Bearer realm=\"sekisho\", error=\"invalid_token\", error_description=\"" + reason.code() + "\"";
        }
        // RFC 9470 §3: tell the client what to ask the authorization server for
        StringBuilder header = new StringBuilder("Bearer realm=\"sekisho\", error=\"insufficient_user_authentication\"")
                .append(", error_description=\"").append(reason.code()).append('"');
        requirement.flatMap(MfaRequirement::acrValues)
                .ifPresent(acr -> header.append(", acr_values=\"").append(acr.replace("\"", "")).append('"'));
        requirement.flatMap(MfaRequirement::strictestAge)
                .ifPresent(age -> header.append(", max_age=").append(age.toSeconds()));
        return header.toString();
    }

    private static JsonObject json(Outcome outcome, Reason reason, String requestId,
                                   Optional<MfaRequirement> requirement) {
        JsonObject body = new JsonObject().put("error", reason.code()).put("requestId", requestId);
        String message = MESSAGES.get(reason);
        if (message == null && outcome == Outcome.UNAUTHENTICATED) {
            message = "The token was not accepted; sign in again.";
        }
        if (message == null && reason.isPostureCheck()) {
            message = "This device does not meet the app's device requirements; see failedChecks.";
        }
        if (message != null) {
            body.put("message", message);
        }
        requirement.ifPresent(r -> {
            if (!r.anyOf().isEmpty()) {
                body.put("acceptedMethods", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(r.anyOf()))));
            }
            r.strictestAge().ifPresent(age -> body.put("maxAgeSeconds", age.toSeconds()));
        });
        return body;
    }
}
