package jp.sekisho.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import jp.sekisho.testing.ProxyFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bearer tokens, judged from the outside: status, reason code, and what reached the upstream. */
class BearerTokenTest {

    @RegisterExtension
    final ProxyFixture proxy = new ProxyFixture();

    @Test
    void validTokenReachesTheUpstreamWithAnAssertionSignedByTheProxy() throws Exception {
        String token = proxy.idp.token("sato", "shimin-ka");

        ProxyFixture.Response response = proxy.get("127.0.0.1", "/records/1?q=x", "Authorization", "Bearer " + token);

        assertEquals(200, response.status());
        assertEquals("hello from upstream /records/1?q=x", response.body());
        String assertion = proxy.upstream.last().header("X-Sekisho-Assertion");
        SignedJWT jwt = SignedJWT.parse(assertion);
        JWKSet keys = JWKSet.parse(proxy.get("127.0.0.1", "/.well-known/sekisho/jwks.json").body());
        ECKey key = (ECKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new ECDSAVerifier(key)), "assertion signature verifies with the published key");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("sato", claims.getSubject());
        assertEquals(List.of("records"), claims.getAudience());
        assertEquals(List.of("shimin-ka"), claims.getStringListClaim("groups"));
        assertEquals(List.of("face"), claims.getStringListClaim("amr"));
        assertTrue(claims.getExpirationTime().toInstant().isAfter(proxy.clock.instant()));
        assertEquals(response.header("x-request-id"), proxy.upstream.last().header("X-Request-Id"));
        assertNull(proxy.upstream.last().header("Authorization"), "the user's token is not passed on");
    }

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired", (Function<ProxyFixture, String>) p -> p.idp.rs256(p.idp.claims("sato", "shimin-ka")
                        .expirationTime(Date.from(p.clock.instant().minusSeconds(61))).build()), "token-expired"),
                Arguments.of("not yet valid", (Function<ProxyFixture, String>) p -> p.idp.rs256(p.idp.claims("sato",
                        "shimin-ka").notBeforeTime(Date.from(p.clock.instant().plusSeconds(300))).build()),
                        "token-not-yet-valid"),
                Arguments.of("wrong issuer", (Function<ProxyFixture, String>) p -> p.idp.rs256(p.idp.claims("sato",
                        "shimin-ka").issuer("https://evil.example").build()), "token-issuer-unknown"),
                Arguments.of("wrong audience", (Function<ProxyFixture, String>) p -> p.idp.rs256(p.idp.claims("sato",
                        "shimin-ka").audience("another-app").build()), "token-audience-mismatch"),
                Arguments.of("alg none", (Function<ProxyFixture, String>) p ->
                        new PlainJWT(p.idp.claims("sato", "shimin-ka").build()).serialize(), "token-algorithm-not-allowed"),
                Arguments.of("HS256 keyed with the RSA public key", (Function<ProxyFixture, String>)
                        BearerTokenTest::hmacWithPublicKey, "token-algorithm-not-allowed"),
                Arguments.of("unknown kid", (Function<ProxyFixture, String>) p -> p.idp.sign(JWSAlgorithm.RS256,
                        "no-such-key", p.idp.claims("sato", "shimin-ka").build(), h -> { }), "token-key-unknown"),
                Arguments.of("tampered payload", (Function<ProxyFixture, String>) BearerTokenTest::tampered,
                        "token-signature-invalid"),
                Arguments.of("not a JWT", (Function<ProxyFixture, String>) p -> "not.a.jwt", "token-malformed"),
                Arguments.of("a character outside RFC 6750's b64token", (Function<ProxyFixture, String>) p ->
                        p.idp.rs256(p.idp.claims("sato", "shimin-ka").build()).replaceFirst("\\.", ",."),
                        "token-malformed"),
                Arguments.of("no subject", (Function<ProxyFixture, String>) p -> p.idp.rs256(p.idp.claims("sato",
                        "shimin-ka").subject(null).build()), "token-claims-invalid"),
                Arguments.of("logout token type", (Function<ProxyFixture, String>) p -> p.idp.sign(JWSAlgorithm.RS256,
                        p.idp.rsa().getKeyID(), p.idp.claims("sato", "shimin-ka").build(),
                        h -> h.type(new JOSEObjectType("logout+jwt"))), "token-type-not-allowed"));
    }

    @ParameterizedTest(name = "{0} -> 401 {2}")
    @MethodSource("badTokens")
    void badTokenIsRefusedWithItsReasonAndNeverForwarded(String name, Function<ProxyFixture, String> token,
                                                         String reason) throws Exception {
        ProxyFixture.Response response = proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + token.apply(proxy));

        assertEquals(401, response.status(), response.body());
        assertEquals(reason, new JsonObject(response.body()).getString("error"));
        assertTrue(response.header("www-authenticate").contains("error=\"invalid_token\""));
        assertFalse(response.body().contains("Exception"), "no stack trace in the answer");
        assertEquals(List.of(), proxy.upstream.received(), "the upstream never saw the request");
    }

    @Test
    void missingTokenIsChallengedWithoutAnErrorCode() throws Exception {
        ProxyFixture.Response response = proxy.get("127.0.0.1", "/");

        assertEquals(401, response.status());
        assertEquals("token-missing", new JsonObject(response.body()).getString("error"));
        assertEquals("Bearer realm=\"sekisho\"", response.header("www-authenticate"));
        assertEquals(List.of(), proxy.upstream.received());
    }

    @Test
    void tokenThatExpiresWhileCachedIsRefusedOnceItsTimeIsUp() throws Exception {
        String token = proxy.idp.rs256(proxy.idp.claims("sato", "shimin-ka")
                .expirationTime(Date.from(proxy.clock.instant().plusSeconds(120))).build());
        assertEquals(200, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + token).status());

        proxy.clock.advance(Duration.ofSeconds(120 + 61)); // past exp plus the 60 s skew

        ProxyFixture.Response later = proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + token);
        assertEquals(401, later.status());
        assertEquals("token-expired", new JsonObject(later.body()).getString("error"));
        assertEquals(1, proxy.upstream.received().size());
    }

    @Test
    void tokensSignedWithEs256AndEdDsaAreAccepted() throws Exception {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA)) {
            String kid = alg == JWSAlgorithm.ES256 ? "ec-1" : "ed-1";
            String token = proxy.idp.sign(alg, kid, proxy.idp.claims("sato", "shimin-ka").build(), h -> { });
            assertEquals(200, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + token).status(), alg.getName());
        }
    }

    @Test
    void repeatedTokenIsVerifiedOnlyOnce() throws Exception {
        String token = proxy.idp.token("sato", "shimin-ka");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, proxy.get("127.0.0.1", "/", "Authorization", "Bearer " + token).status());
        }
        String metrics = proxy.management("/metrics").body();
        assertTrue(metrics.contains("sekisho_token_verifications_total{result=\"valid\"} 1.0"), metrics);
        assertTrue(metrics.contains("sekisho_token_cache_total{result=\"hit\"} 4.0"), metrics);
        assertTrue(metrics.contains("sekisho_assertion_signatures_total 1.0"), "assertion signed once and reused");
    }

    private static String hmacWithPublicKey(ProxyFixture p) {
        try {
            // the classic key-confusion attack: HMAC keyed with the bytes of the published RSA key
            byte[] secret = p.idp.rsa().toPublicJWK().toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(p.idp.rsa().getKeyID())
                    .build(), p.idp.claims("sato", "shimin-ka").build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tampered(ProxyFixture p) {
        String[] parts = p.idp.token("suzuki", "soumu-ka").split("\\.");
        JsonObject claims = new JsonObject(new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8));
        claims.put("groups", List.of("shimin-ka"));
        return parts[0] + "." + Base64URL.encode(claims.encode()) + "." + parts[2];
    }
}
