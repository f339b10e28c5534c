package jp.sekisho.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.mfa.MethodMapping;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What identifying a request costs the event loop. {@code cacheHit}: the common request, a
 * token already verified (RFC 6750 syntax check, SHA-256 of the token, one cache lookup),
 * through the gateway's own {@link BearerAuthenticator}. {@code tokenKey}: the SHA-256 part
 * alone, which a device posture token's cache hit also pays. {@code verifyUncached}: what every
 * request would cost without the cache (RS256 signature and claims, on a worker thread in the
 * proxy), for comparison. The token is a realistic access token of about 900 characters, from
 * the last of {@code issuers} trusted issuers: neither path grows with their number.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BearerCacheBenchmark {

    private static final String ISSUER = "https://idp.bench.localhost/realms/town";

    @Param({"1", "100"})
    int issuers;

    private Vertx vertx;
    private BearerAuthenticator authenticator;
    private TokenVerifier verifier;
    private String authorization;
    private String token;

    @Setup
    public void setUp() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
        JWKSet keys = new JWKSet(key.toPublicJWK());
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("f3a1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
                .audience("sekisho").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .claim("auth_time", now.getEpochSecond()).claim("preferred_username", "sato.hanako")
                .claim("groups", List.of("all-staff", "kokuho", "zeimu-read")).claim("amr", List.of("face", "pwd"))
                .claim("acr", "urn:sekisho:mfa").claim("azp", "sekisho").claim("sid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench")
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize();
        authorization = "Bearer " + token;
        TrustedIssuer issuer = new TrustedIssuer("town", ISSUER, Set.of("sekisho"), Set.of(JWSAlgorithm.RS256),
                Set.of("at+jwt", "jwt"), Duration.ofSeconds(60), "preferred_username", "groups",
                MethodMapping.rfc8176(), () -> keys, Set.of());
        Map<String, TrustedIssuer> trusted = new java.util.HashMap<>();
        JWKSet otherKeys = new JWKSet(new RSAKeyGenerator(2048).keyID("other").generate().toPublicJWK());
        for (int i = 1; i < issuers; i++) { // other towns' issuers
            String other = ISSUER + "-" + i;
            trusted.put(other, new TrustedIssuer("town-" + i, other, Set.of("sekisho"), Set.of(JWSAlgorithm.RS256),
                    Set.of("at+jwt", "jwt"), Duration.ofSeconds(60), "preferred_username", "groups",
                    MethodMapping.rfc8176(), () -> otherKeys, Set.of()));
        }
        trusted.put(ISSUER, issuer);
        verifier = new TokenVerifier(trusted);
        vertx = Vertx.vertx();
        authenticator = new BearerAuthenticator(vertx, verifier, Map.of(), Clock.systemUTC(), new ProxyMetrics(),
                100_000);
        Authentication first = authenticator.authenticate(authorization).await(); // verified once, then cached
        if (!(first instanceof Authentication.Authenticated)) {
            throw new IllegalStateException("the bench token did not verify: " + first);
        }
    }

    @TearDown
    public void tearDown() {
        vertx.close().await();
    }

    @Benchmark
    public Authentication cacheHit() {
        return authenticator.authenticate(authorization).result();
    }

    @Benchmark
    public TokenKey tokenKey() {
        return TokenKey.of(token);
    }

    @Benchmark
    public VerificationResult verifyUncached() {
        return verifier.verify(token, Instant.now());
    }
}
