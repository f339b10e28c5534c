package jp.sekisho.session;

import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.identity.IssuerKeys;
import jp.sekisho.identity.TokenVerifier;
import jp.sekisho.identity.VerificationResult;
import jp.sekisho.policy.App;
import jp.sekisho.policy.Reason;

/**
 * Browser sign-in: the OIDC authorization code flow with PKCE, on reserved paths of every app
 * host ({@code /.sekisho/callback}, {@code /.sekisho/login}, {@code /.sekisho/logout}).
 * {@code state} and {@code nonce} are checked; the ID token is verified like a bearer token
 * (audience: the client id); the result is a sealed session cookie for that host.
 *
 * <p>Step-up sends the browser to the IdP once with {@code acr_values}, {@code max_age} and
 * {@code prompt=login}; the session remembers the attempt, so a second shortfall for the same
 * app within {@link #STEP_UP_GUARD} ends on the denial page instead of looping.
 */
public final class BrowserLogin {

    public static final String PREFIX = "/.sekisho/";
    static final String CALLBACK = PREFIX + "callback";
    static final Duration STEP_UP_GUARD = Duration.ofMinutes(5);
    private static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(10);
    private static final String LOGIN_COOKIE = "sekisho_login";
    /** The ID token, kept only for the logout's id_token_hint: scoped to the logout path. */
    private static final String ID_TOKEN_COOKIE = "sekisho_idt";
    private static final String LOGOUT = PREFIX + "logout";
    private static final int MAX_ID_TOKEN_CHARS = 2800;
    private static final Logger LOG = Logger.getLogger(BrowserLogin.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final HttpClient client;
    private final SekishoConfig.BrowserLogin config;
    private final IssuerKeys issuer;
    private final TokenVerifier idTokens;
    private final BrowserSessions sessions;
    private final Clock clock;

    public BrowserLogin(Vertx vertx, HttpClient client, SekishoConfig.BrowserLogin config, IssuerKeys issuer,
                        TokenVerifier idTokens, BrowserSessions sessions, Clock clock) {
        this.vertx = vertx;
        this.client = client;
        this.config = config;
        this.issuer = issuer;
        this.idTokens = idTokens;
        this.sessions = sessions;
        this.clock = clock;
    }

    public BrowserSessions sessions() {
        return sessions;
    }

    /** True when the session already tried a step-up for this app a moment ago: do not loop. */
    public boolean stepUpAlreadyTried(Optional<Session> session, App app) {
        return session.isPresent() && session.get().stepUpApp().filter(app.id()::equals).isPresent()
                && session.get().stepUpAt().map(t -> t.plus(STEP_UP_GUARD).isAfter(clock.instant())).orElse(false);
    }

    /**
     * Redirects the browser to the IdP. For a step-up, also asks for the app's methods and a
     * fresh authentication.
     */
    public void redirectToLogin(HttpServerRequest request, String host, String returnTo, Optional<App> stepUpFor) {
        HttpServerResponse response = request.response();
        String authorize = issuer.endpoint("authorization_endpoint");
        if (authorize == null) {
            throw new IllegalStateException("the issuer's discovery document has no authorization_endpoint");
        }
        String verifier = random(32);
        LoginState state = new LoginState(random(24), random(24), verifier,
                ReturnPaths.isSafe(returnTo) ? returnTo : "/", stepUpFor.map(App::id), clock.instant());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", config.clientId());
        params.put("redirect_uri", callbackUri(request));
        params.put("scope", String.join(" ", config.scopes()));
        params.put("state", state.state());
        params.put("nonce", state.nonce());
        params.put("code_challenge", challenge(verifier));
        params.put("code_challenge_method", "S256");
        stepUpFor.map(App::mfa).ifPresent(mfa -> {
            mfa.acrValues().ifPresent(acr -> params.put("acr_values", acr));
            mfa.strictestAge().ifPresent(age -> params.put("max_age", Long.toString(age.toSeconds())));
            params.put("prompt", "login");
        });
        response.addCookie(sessions.cookie(LOGIN_COOKIE, sessions.keys().seal(state.toBytes(), LOGIN_COOKIE + "|"
                + host), CALLBACK, LOGIN_TIMEOUT.toSeconds()));
        redirect(response, authorize + (authorize.contains("?") ? "&" : "?") + form(params));
    }

    /** Handles a reserved path; completes with the reason to audit. */
    public Future<Reason> handle(HttpServerRequest request, String host, String path, PageWriter pages,
                                 Function<String, Optional<App>> apps) {
        switch (path) {
            case PREFIX + "login" -> {
                String rd = request.getParam("rd", "/");
                String appId = request.getParam("app");
                Optional<App> stepUpFor = appId == null ? Optional.empty() : apps.apply(appId);
                if (!ReturnPaths.isSafe(rd) || (appId != null && stepUpFor.isEmpty())) {
                    pages.refuse(Reason.REQUEST_INVALID);
                    return Future.succeededFuture(Reason.REQUEST_INVALID);
                }
                // an explicit "re-authenticate" for an app asks for that app's methods
                redirectToLogin(request, host, rd, stepUpFor);
                return Future.succeededFuture(Reason.LOGIN_FLOW);
            }
            case CALLBACK -> {
                return callback(request, host, pages);
            }
            case LOGOUT -> {
                logout(request, host);
                return Future.succeededFuture(Reason.LOGIN_FLOW);
            }
            case PREFIX + "signed-out" -> {
                request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end("<!doctype html><html lang=\"ja\"><meta charset=\"utf-8\"><title>サインアウトしました</title>"
                                + "<h1>サインアウトしました / Signed out</h1></html>");
                return Future.succeededFuture(Reason.LOGIN_FLOW);
            }
            default -> {
                pages.refuse(Reason.APP_UNKNOWN);
                return Future.succeededFuture(Reason.APP_UNKNOWN);
            }
        }
    }

    /** Writes a refusal page for the login flow's own failures. */
    public interface PageWriter {
        void refuse(Reason reason);
    }

    private Future<Reason> callback(HttpServerRequest request, String host, PageWriter pages) {
        HttpServerResponse response = request.response();
        Cookie cookie = request.getCookie(LOGIN_COOKIE);
        Optional<LoginState> opened = cookie == null ? Optional.empty()
                : sessions.keys().open(cookie.getValue(), LOGIN_COOKIE + "|" + host).map(LoginState::fromBytes);
        response.addCookie(sessions.cookie(LOGIN_COOKIE, "", CALLBACK, 0));
        String state = request.getParam("state");
        if (opened.isEmpty() || state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                opened.get().state().getBytes(StandardCharsets.UTF_8))
                || opened.get().createdAt().plus(LOGIN_TIMEOUT).isBefore(clock.instant())) {
            pages.refuse(Reason.LOGIN_FAILED);
            return Future.succeededFuture(Reason.LOGIN_FAILED);
        }
        LoginState login = opened.get();
        String code = request.getParam("code");
        if (code == null) {
            LOG.info("login returned without a code: " + request.getParam("error"));
            pages.refuse(Reason.LOGIN_FAILED);
            return Future.succeededFuture(Reason.LOGIN_FAILED);
        }
        return exchange(code, login.verifier(), callbackUri(request))
                .compose(idToken -> vertx.executeBlocking(() -> verifyIdToken(idToken, login.nonce()), false)
                        .map(identity -> {
                            if (idToken.length() <= MAX_ID_TOKEN_CHARS) {
                                response.addCookie(sessions.cookie(ID_TOKEN_COOKIE, sessions.keys().seal(
                                        idToken.getBytes(StandardCharsets.US_ASCII), ID_TOKEN_COOKIE + "|" + host),
                                        LOGOUT, sessions.lifetimeSeconds()));
                            }
                            return identity;
                        }))
                .map(identity -> {
                    Session session = sessions.begin(identity, random(16), login.stepUpApp());
                    sessions.write(response, host, session, true);
                    redirect(response, login.returnTo());
                    return Reason.LOGIN_FLOW;
                })
                .otherwise(e -> {
                    LOG.log(Level.WARNING, "browser login failed: " + e.getMessage());
                    pages.refuse(Reason.LOGIN_FAILED);
                    return Reason.LOGIN_FAILED;
                });
    }

    private jp.sekisho.policy.Identity verifyIdToken(String idToken, String nonce) throws Exception {
        VerificationResult result = idTokens.verify(idToken, clock.instant());
        if (!(result instanceof VerificationResult.Verified verified)) {
            throw new IllegalStateException("ID token refused: " + result);
        }
        Object claimed = SignedJWT.parse(idToken).getJWTClaimsSet().getClaim("nonce");
        if (!(claimed instanceof String s) || !MessageDigest.isEqual(s.getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalStateException("ID token nonce does not match");
        }
        return verified.identity();
    }

    private Future<String> exchange(String code, String verifier, String redirectUri) {
        String tokenEndpoint = issuer.endpoint("token_endpoint");
        if (tokenEndpoint == null) {
            return Future.failedFuture("the issuer's discovery document has no token_endpoint");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        form.put("client_id", config.clientId());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(tokenEndpoint)
                .setTimeout(10_000)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        if (config.clientSecret() != null) {
            options.putHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    (encode(config.clientId()) + ":" + encode(config.clientSecret())).getBytes(StandardCharsets.UTF_8)));
        }
        return client.request(options)
                .compose(req -> req.send(form(form)))
                .compose(resp -> resp.body().compose(body -> {
                    if (resp.statusCode() != 200) {
                        return Future.failedFuture("token endpoint answered " + resp.statusCode());
                    }
                    String idToken = new JsonObject(body).getString("id_token");
                    return idToken == null ? Future.failedFuture("no id_token in the token response")
                            : Future.succeededFuture(idToken);
                }));
    }

    private void logout(HttpServerRequest request, String host) {
        HttpServerResponse response = request.response();
        BrowserSessions.Read read = sessions.read(request, host);
        sessions.clear(response);
        // In force here at once; stored for the other replicas (and a restart) meanwhile.
        read.session().ifPresent(session -> sessions.revocations().revokeSession(session.id(), session.expiresAt())
                .onFailure(e -> LOG.warning("the revocation of a signed-out session was not stored: " + e)));
        String signedOut = scheme(request) + "://" + request.authority() + PREFIX + "signed-out";
        String endSession = issuer.endpoint("end_session_endpoint");
        if (endSession == null) {
            redirect(response, PREFIX + "signed-out");
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Cookie idTokenCookie = request.getCookie(ID_TOKEN_COOKIE);
        response.addCookie(sessions.cookie(ID_TOKEN_COOKIE, "", LOGOUT, 0));
        if (idTokenCookie != null) {
            sessions.keys().open(idTokenCookie.getValue(), ID_TOKEN_COOKIE + "|" + host)
                    .ifPresent(idToken -> params.put("id_token_hint", new String(idToken, StandardCharsets.US_ASCII)));
        }
        params.put("client_id", config.clientId());
        params.put("post_logout_redirect_uri", signedOut);
        redirect(response, endSession + (endSession.contains("?") ? "&" : "?") + form(params));
    }

    private String callbackUri(HttpServerRequest request) {
        return scheme(request) + "://" + request.authority() + CALLBACK;
    }

    private String scheme(HttpServerRequest request) {
        return request.isSSL() || sessions.secure() ? "https" : "http";
    }

    private static void redirect(HttpServerResponse response, String location) {
        response.setStatusCode(302).putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
    }

    /** The RFC 7636 S256 code challenge of a verifier. */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String form(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(encode(k)).append('=').append(encode(v));
        });
        return out.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The link on a step-up page that starts a fresh sign-in for the app's methods. */
    public static String reauthenticateLink(String returnTo, String appId) {
        return PREFIX + "login?rd=" + encode(returnTo) + "&app=" + encode(appId);
    }

    /** A browser with no usable sign-in, which a login redirect can fix. */
    public static boolean loginWouldHelp(Reason reason) {
        return reason == Reason.TOKEN_MISSING || reason == Reason.SESSION_EXPIRED
                || reason == Reason.SESSION_INVALID || reason == Reason.SESSION_REVOKED;
    }

    /** Removes Sekisho's own cookies from a Cookie header bound for an upstream. */
    public static String withoutOwnCookies(String cookieHeader) {
        StringBuilder kept = new StringBuilder();
        for (String part : cookieHeader.split(";")) {
            String name = part.trim();
            int eq = name.indexOf('=');
            String cookieName = eq < 0 ? name : name.substring(0, eq);
            if (cookieName.equals("__Host-sekisho_session") || cookieName.equals("sekisho_session")
                    || cookieName.equals(LOGIN_COOKIE) || cookieName.equals(ID_TOKEN_COOKIE) || name.isEmpty()) {
                continue;
            }
            if (kept.length() > 0) {
                kept.append("; ");
            }
            kept.append(name);
        }
        return kept.toString();
    }
}
