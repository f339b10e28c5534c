package jp.sekisho.session;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Reason;

/**
 * Reads and writes the browser session cookie: sealed with AES-GCM (bound to the cookie name
 * and host), {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} and {@code __Host-}
 * prefixed unless explicitly running a plain-HTTP demo. A tampered, expired, idle or revoked
 * cookie is no session.
 */
public final class BrowserSessions {

    /** Refresh the idle clock in the cookie at most this often, to keep Set-Cookie rare. */
    private static final Duration SEEN_REFRESH = Duration.ofMinutes(5);

    private final SessionKeys keys;
    private final Revocations revocations;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration idle;
    private final boolean secure;
    private final String cookieName;

    public BrowserSessions(SessionKeys keys, Revocations revocations, Clock clock, Duration lifetime, Duration idle,
                           boolean secure) {
        this.keys = keys;
        this.revocations = revocations;
        this.clock = clock;
        this.lifetime = lifetime;
        this.idle = idle;
        this.secure = secure;
        this.cookieName = secure ? "__Host-sekisho_session" : "sekisho_session";
    }

    /** The outcome of reading a request's session cookie. */
    public record Read(Authentication authentication, Optional<Session> session) {
    }

    public boolean hasCookie(HttpServerRequest request) {
        return request.getCookie(cookieName) != null;
    }

    public Read read(HttpServerRequest request, String host) {
        Cookie cookie = request.getCookie(cookieName);
        if (cookie == null) {
            return new Read(Authentication.failed(Reason.TOKEN_MISSING), Optional.empty());
        }
        Optional<Session> opened;
        try {
            opened = keys.open(cookie.getValue(), cookieName + "|" + host).map(Session::fromBytes);
        } catch (RuntimeException e) {
            opened = Optional.empty();
        }
        if (opened.isEmpty()) {
            return new Read(Authentication.failed(Reason.SESSION_INVALID), Optional.empty());
        }
        Session session = opened.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt()) || session.lastSeen().plus(idle).isBefore(now)) {
            return new Read(Authentication.failed(Reason.SESSION_EXPIRED), Optional.empty());
        }
        if (revocations.isRevoked(session)) {
            return new Read(Authentication.failed(Reason.SESSION_REVOKED), Optional.empty());
        }
        return new Read(Authentication.of(session.identity()), Optional.of(session));
    }

    /** A new session for a user who just signed in. */
    public Session begin(jp.sekisho.policy.Identity fromIdToken, String sessionId, Optional<String> stepUpApp) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(lifetime);
        jp.sekisho.policy.Identity identity = new jp.sekisho.policy.Identity(fromIdToken.issuer(),
                fromIdToken.subject(), fromIdToken.username(), fromIdToken.groups(), fromIdToken.amr(),
                fromIdToken.methods(), fromIdToken.acr(), fromIdToken.authTime(), expiresAt);
        return new Session(sessionId, identity, now, expiresAt, now, stepUpApp,
                stepUpApp.isPresent() ? Optional.of(now) : Optional.empty());
    }

    /** Writes the session cookie when it is new or its idle clock is due for a refresh. */
    public void write(HttpServerResponse response, String host, Session session, boolean force) {
        Instant now = clock.instant();
        Session toWrite = session;
        if (!force) {
            if (session.lastSeen().plus(SEEN_REFRESH).isAfter(now)) {
                return;
            }
            toWrite = session.seenAt(now);
        }
        String value = keys.seal(toWrite.toBytes(), cookieName + "|" + host);
        long maxAge = Duration.between(now, toWrite.expiresAt()).toSeconds();
        response.addCookie(cookie(cookieName, value, "/", maxAge));
    }

    public void clear(HttpServerResponse response) {
        response.addCookie(cookie(cookieName, "", "/", 0));
    }

    Cookie cookie(String name, String value, String path, long maxAgeSeconds) {
        return Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSecure(secure)
                .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
    }

    long lifetimeSeconds() {
        return lifetime.toSeconds();
    }

    SessionKeys keys() {
        return keys;
    }

    boolean secure() {
        return secure;
    }

    public Revocations revocations() {
        return revocations;
    }
}
