package jp.sekisho.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A development-only OpenID issuer for the demo: publishes discovery and keys, and mints
 * access tokens for the demo users with whatever {@code amr} the caller asks for.
 *
 * <p>It can prove nothing about anyone, so it binds only to a loopback address and is started
 * only by {@code sekisho demo}; {@code sekisho run} has no way to start it.
 */
public final class DemoIssuer {

    /** A demo user: the username, a display name, and groups. */
    public record DemoUser(String username, String name, List<String> groups) {
    }

    public static final Map<String, DemoUser> USERS = Map.of(
            "sato", new DemoUser("sato", "佐藤 花子 (市民課)", List.of("shimin-ka", "all-staff")),
            "suzuki", new DemoUser("suzuki", "鈴木 一郎 (総務課)", List.of("soumu-ka", "all-staff")),
            "tanaka", new DemoUser("tanaka", "田中 実 (情報システム課)", List.of("joho-ka", "all-staff")));

    public static final String AUDIENCE = "sekisho";

    /** The admin console's client id: its sign-ins get administrators' access tokens. */
    public static final String CONSOLE_CLIENT = "sekisho-console";

    /** The audience of administrators' tokens; tanaka (情報システム課) administers the demo. */
    public static final String ADMIN_AUDIENCE = "sekisho-admin";

    private final RSAKey key;
    private final String issuer;
    private final Clock clock;

    private final DemoLogin login;

    private DemoIssuer(RSAKey key, String issuer, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.clock = clock;
        this.login = new DemoLogin(this);
    }

    public static Future<HttpServer> start(Vertx vertx, String host, int port, Clock clock) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                return Future.failedFuture(new IllegalArgumentException(
                        "the demo issuer mints tokens for anyone and only listens on loopback, not " + host));
            }
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
            DemoIssuer demo = new DemoIssuer(key, "http://" + host + ":" + port, clock);
            return vertx.createHttpServer().requestHandler(demo.router(vertx)).listen(port, host);
        } catch (JOSEException | UnknownHostException e) {
            return Future.failedFuture(e);
        }
    }

    public String issuer() {
        return issuer;
    }

    private Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        // The admin console (a page on the admin listener, another loopback origin) reads the
        // discovery document and redeems its code from the browser: allow loopback origins only.
        router.route().handler(ctx -> {
            String origin = ctx.request().getHeader("origin");
            if (origin != null && DemoLogin.loopback(origin)) {
                ctx.response().putHeader("access-control-allow-origin", origin).putHeader("vary", "origin");
            }
            ctx.next();
        });
        router.get("/.well-known/openid-configuration").handler(ctx -> ctx.json(new JsonObject()
                .put("issuer", issuer)
                .put("jwks_uri", issuer + "/jwks")
                .put("authorization_endpoint", issuer + "/authorize")
                .put("token_endpoint", issuer + "/token")
                .put("end_session_endpoint", issuer + "/logout")
                .put("id_token_signing_alg_values_supported", List.of("RS256"))));
        router.get("/jwks").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(new JWKSet(key.toPublicJWK()).toString()));
        router.get("/token").handler(this::token);
        router.get("/authorize").handler(login::page);
        router.post("/authorize").handler(BodyHandler.create().setBodyLimit(16 * 1024)).handler(login::submit);
        router.post("/token").handler(BodyHandler.create().setBodyLimit(16 * 1024)).handler(login::token);
        router.get("/logout").handler(login::logout);
        router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
                .end(help()));
        return router;
    }

    private void token(RoutingContext ctx) {
        String username = ctx.request().getParam("user", "");
        DemoUser user = USERS.get(username);
        if (user == null) {
            ctx.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                    .end("unknown demo user '" + username + "'\n\n" + help());
            return;
        }
        List<String> amr = Arrays.stream(ctx.request().getParam("amr", "pwd").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        long ttl;
        try {
            ttl = Long.parseLong(ctx.request().getParam("ttl", "3600"));
        } catch (NumberFormatException e) {
            ctx.response().setStatusCode(400).end("ttl must be a number of seconds\n");
            return;
        }
        String audience = ctx.request().getParam("aud", AUDIENCE);
        if (!audience.equals(AUDIENCE) && !audience.equals(ADMIN_AUDIENCE)) {
            ctx.response().setStatusCode(400).end("aud is " + AUDIENCE + " (apps) or " + ADMIN_AUDIENCE + "\n");
            return;
        }
        try {
            ctx.response().putHeader("content-type", "text/plain").end(mint(user, amr, ttl, audience, null, "at+jwt"));
        } catch (JOSEException e) {
            ctx.fail(e);
        }
    }

    String mint(DemoUser user, List<String> amr, long ttlSeconds) throws JOSEException {
        return mint(user, amr, ttlSeconds, AUDIENCE, null, "at+jwt");
    }

    /** A token for {@code audience}; an ID token carries the login's nonce. */
    String mint(DemoUser user, List<String> amr, long ttlSeconds, String audience, String nonce, String type)
            throws JOSEException {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user.username())
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(ttlSeconds)))
                .jwtID(UUID.randomUUID().toString())
                .claim("preferred_username", user.username())
                .claim("name", user.name())
                .claim("groups", user.groups())
                .claim("amr", amr)
                .claim("auth_time", now.getEpochSecond());
        if (nonce != null) {
            builder.claim("nonce", nonce);
        }
        if (audience.equals(ADMIN_AUDIENCE)) {
            builder.claim("sekisho_roles", user.username().equals("tanaka") ? List.of("global-admin") : List.of("viewer"));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType(type)).build(), builder.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private String help() {
        StringBuilder out = new StringBuilder("Sekisho demo issuer (development only)\n\n"
                + "GET " + issuer + "/token?user=USER&amr=face,otp&ttl=3600  ->  an access token\n"
                + "GET " + issuer + "/token?user=tanaka&amr=face&aud=" + ADMIN_AUDIENCE
                + "  ->  an administrator's token for the admin API\n\nUsers:\n");
        USERS.values().stream().sorted((a, b) -> a.username().compareTo(b.username())).forEach(u ->
                out.append("  ").append(u.username()).append("  ").append(u.name()).append("  groups=")
                        .append(u.groups()).append('\n'));
        out.append("\namr values (RFC 8176): face, otp, pwd, hwk, sms, mfa ...\n");
        return out.toString();
    }
}
