package jp.sekisho.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;

/**
 * The responses the proxy writes itself: a status and a small JSON body naming the reason code
 * and the request id, never internal detail. Bodies are pre-built per reason.
 */
public final class Refusals {

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence WWW_AUTHENTICATE = HttpHeaders.createOptimized("www-authenticate");
    private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");
    private static final Map<Reason, String> MESSAGES = new EnumMap<>(Reason.class);

    static {
        MESSAGES.put(Reason.USER_NOT_ALLOWED, "You are signed in, but this app's policy does not let you in.");
        MESSAGES.put(Reason.TOKEN_MISSING, "Sign in: this app needs a bearer token.");
        MESSAGES.put(Reason.TOKEN_EXPIRED, "Your sign-in has expired; sign in again.");
        MESSAGES.put(Reason.TOKEN_NOT_YET_VALID, "The token is not valid yet; check the device clock.");
        MESSAGES.put(Reason.TOKEN_ISSUED_IN_FUTURE, "The token was issued in the future; check the IdP clock.");
        MESSAGES.put(Reason.ISSUER_KEYS_UNAVAILABLE, "Sign-in cannot be checked right now; try again shortly.");
        MESSAGES.put(Reason.APP_UNKNOWN, "No app is served at this address.");
        MESSAGES.put(Reason.PATH_INVALID, "The request path is not allowed.");
        MESSAGES.put(Reason.REQUEST_INVALID, "The request is malformed.");
        MESSAGES.put(Reason.METHOD_NOT_ALLOWED, "This HTTP method is not allowed here.");
        MESSAGES.put(Reason.UPSTREAM_UNREACHABLE, "The app cannot be reached right now.");
        MESSAGES.put(Reason.UPSTREAM_TIMEOUT, "The app did not answer in time.");
        MESSAGES.put(Reason.UPSTREAM_FAILED, "The app's answer could not be delivered.");
        MESSAGES.put(Reason.INTERNAL_ERROR, "The request could not be checked, so it was refused.");
    }

    private Refusals() {
    }

    /** The HTTP status for a refusal. */
    public static int status(Outcome outcome, Reason reason) {
        return switch (reason) {
            case PATH_INVALID, REQUEST_INVALID -> 400;
            case APP_UNKNOWN -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case ISSUER_KEYS_UNAVAILABLE -> 503;
            case UPSTREAM_UNREACHABLE, UPSTREAM_FAILED -> 502;
            case UPSTREAM_TIMEOUT -> 504;
            case INTERNAL_ERROR -> 500;
            default -> outcome == Outcome.UNAUTHENTICATED ? 401 : 403;
        };
    }

    /**
     * Writes the refusal and ends the response.
     *
     * @param closeConnection close after responding, because an unread request body remains
     */
    public static void send(HttpServerRequest request, Outcome outcome, Reason reason, String requestId,
                            boolean closeConnection) {
        HttpServerResponse response = request.response();
        int status = status(outcome, reason);
        response.setStatusCode(status);
        response.headers().set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).set(HttpHeaders.CACHE_CONTROL, NO_STORE);
        if (status == 401) {
            response.headers().set(WWW_AUTHENTICATE, reason == Reason.TOKEN_MISSING
                    ? "Bearer realm=\"sekisho\""
                    : "Bearer realm=\"sekisho\", error=\"invalid_token\", error_description=\"" + reason.code() + "\"");
        }
        if (status == 503) {
            response.headers().set(HttpHeaders.RETRY_AFTER, "5");
        }
        if (closeConnection) {
            response.headers().set(HttpHeaders.CONNECTION, CLOSE);
        }
        JsonObject body = new JsonObject().put("error", reason.code()).put("requestId", requestId);
        String message = MESSAGES.get(reason);
        if (message == null && outcome == Outcome.UNAUTHENTICATED) {
            message = "The token was not accepted; sign in again.";
        }
        if (message != null) {
            body.put("message", message);
        }
        response.end(Buffer.buffer(body.encode())).onComplete(ar -> {
            if (closeConnection) {
                request.connection().close(); // do not wait for a body nobody will read
            }
        });
    }
}
