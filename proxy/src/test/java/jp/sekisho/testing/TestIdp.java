package jp.sekisho.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An OpenID issuer on port 0 for component tests: discovery and JWKS with RSA, EC and Ed25519
 * keys; it can rotate keys, go unreachable, and mint tokens with any claims.
 */
public final class TestIdp implements AutoCloseable {

    public static final String AUDIENCE = "sekisho";

    private final Vertx vertx;
    private final Clock clock;
    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile RSAKey rsa;
    private final ECKey ec;
    private final OctetKeyPair ed25519;
    private final byte[] ed25519Seed = new byte[32];

    public TestIdp(Vertx vertx, Clock clock) throws JOSEException {
        this.vertx = vertx;
        this.clock = clock;
        this.rsa = rsaKey("rsa-1");
        this.ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").keyUse(KeyUse.SIGNATURE).generate();
        new SecureRandom().nextBytes(ed25519Seed);
        byte[] x = new Ed25519PrivateKeyParameters(ed25519Seed, 0).generatePublicKey().getEncoded();
        this.ed25519 = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID("ed-1")
                .keyUse(KeyUse.SIGNATURE).build();
        published.add(rsa.toPublicJWK());
        published.add(ec.toPublicJWK());
        published.add(ed25519);
        this.server = vertx.createHttpServer().requestHandler(req -> {
            if (!reachable.get()) {
                req.connection().close();
                return;
            }
            switch (req.path()) {
                case "/.well-known/openid-configuration" -> req.response().putHeader("content-type",
                        "application/json").end(new JsonObject().put("issuer", issuer())
                        .put("jwks_uri", issuer() + "/jwks")
                        .put("authorization_endpoint", issuer() + "/authorize")
                        .put("token_endpoint", issuer() + "/token")
                        .put("end_session_endpoint", issuer() + "/logout").encode());
                case "/authorize" -> authorize(req);
                case "/token" -> req.body().onSuccess(body -> token(req, body.toString()));
                case "/jwks" -> {
                    jwksFetches.incrementAndGet();
                    req.response().putHeader("content-type", "application/json")
                            .end(new JWKSet(new ArrayList<>(published)).toString());
                }
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await();
    }

    /** Who the next browser sign-in is, and with which methods (the IdP's login page, decided by the test). */
    public void signInNext(String user, List<String> amr, String... groups) {
        nextLogin = new JWTClaimsSet.Builder().subject(user).claim("preferred_username", user)
                .claim("groups", List.of(groups)).claim("amr", amr).build();
    }

    /** The query parameters of the last authorization request. */
    public io.vertx.core.MultiMap lastAuthorization() {
        return lastAuthorization;
    }

    public static final String CLIENT_ID = "sekisho-web";
    private volatile JWTClaimsSet nextLogin;
    private volatile io.vertx.core.MultiMap lastAuthorization;
    private final java.util.Map<String, io.vertx.core.MultiMap> codes = new java.util.concurrent.ConcurrentHashMap<>();

    private void authorize(io.vertx.core.http.HttpServerRequest req) {
        lastAuthorization = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(req.params());
        String code = java.util.UUID.randomUUID().toString();
        codes.put(code, lastAuthorization);
        req.response().setStatusCode(302).putHeader("location", req.getParam("redirect_uri") + "?code=" + code
                + "&state=" + java.net.URLEncoder.encode(req.getParam("state"), java.nio.charset.StandardCharsets.UTF_8))
                .end();
    }

    private void token(io.vertx.core.http.HttpServerRequest req, String body) {
        io.vertx.core.MultiMap form = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.add(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", java.nio.charset.StandardCharsets.UTF_8));
        }
        io.vertx.core.MultiMap authorization = codes.remove(form.get("code"));
        String verifier = form.get("code_verifier");
        boolean pkceOk = authorization != null && verifier != null
                && jp.sekisho.testing.Pkce.challenge(verifier).equals(authorization.get("code_challenge"));
        if (authorization == null || !pkceOk || !"authorization_code".equals(form.get("grant_type"))
                || !form.get("redirect_uri").equals(authorization.get("redirect_uri"))
                || !CLIENT_ID.equals(form.get("client_id"))) {
            req.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end("{\"error\":\"invalid_grant\"}");
            return;
        }
        Instant now = clock.instant();
        JWTClaimsSet login = nextLogin;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(login).issuer(issuer()).audience(CLIENT_ID)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("nonce", authorization.get("nonce")).claim("auth_time", now.getEpochSecond());
        req.response().putHeader("content-type", "application/json").end(new JsonObject()
                .put("id_token", rs256(claims.build())).put("access_token", "opaque").put("token_type", "Bearer")
                .encode());
    }

    private static RSAKey rsaKey(String kid) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public void setReachable(boolean value) {
        reachable.set(value);
    }

    public RSAKey rsa() {
        return rsa;
    }

    /** Replaces the RSA key with a new one under a new kid (the old one is no longer published). */
    public void rotateRsa(String newKid) throws JOSEException {
        RSAKey old = rsa;
        rsa = rsaKey(newKid);
        published.removeIf(k -> k.getKeyID().equals(old.getKeyID()));
        published.add(rsa.toPublicJWK());
    }

    /** Standard valid claims for {@code user}, issued now, valid 10 minutes. */
    public JWTClaimsSet.Builder claims(String user, String... groups) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(user)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("preferred_username", user)
                .claim("groups", List.of(groups))
                .claim("amr", List.of("face"))
                .claim("auth_time", now.getEpochSecond());
    }

    /** An administrator's token for the admin API: its audience, these roles, and the tenant when not null. */
    public String adminToken(String user, String tenant, String... roles) {
        JWTClaimsSet.Builder claims = claims(user).audience("sekisho-admin").claim("sekisho_roles", List.of(roles));
        if (tenant != null) {
            claims.claim("sekisho_tenant", tenant);
        }
        return rs256(claims.build());
    }

    public String token(String user, String... groups) {
        return rs256(claims(user, groups).build());
    }

    public String rs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, h -> { });
    }

    public String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
        try {
            JWSHeader.Builder builder = new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT);
            header.accept(builder);
            SignedJWT jwt = new SignedJWT(builder.build(), claims);
            jwt.sign(signerFor(alg));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private JWSSigner signerFor(JWSAlgorithm alg) throws JOSEException {
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return new RSASSASigner(rsa);
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return new ECDSASigner(ec);
        }
        if (JWSAlgorithm.EdDSA.equals(alg)) {
            return new Ed25519TestSigner(ed25519Seed);
        }
        throw new IllegalArgumentException("no test key for " + alg);
    }

    @Override
    public void close() {
        server.close().await();
    }

    /** Signs EdDSA with Bouncy Castle, as the proxy verifies it. */
    private static final class Ed25519TestSigner implements JWSSigner {
        private final Ed25519PrivateKeyParameters key;

        Ed25519TestSigner(byte[] seed) {
            this.key = new Ed25519PrivateKeyParameters(seed, 0);
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            signer.update(signingInput, 0, signingInput.length);
            return Base64URL.encode(signer.generateSignature());
        }

        @Override
        public java.util.Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return java.util.Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public com.nimbusds.jose.jca.JCAContext getJCAContext() {
            return new com.nimbusds.jose.jca.JCAContext();
        }
    }
}
