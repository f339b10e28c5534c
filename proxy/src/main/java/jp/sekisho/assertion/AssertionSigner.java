package jp.sekisho.assertion;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Identity;

/**
 * Signs the identity assertion an upstream receives: who the user is, for which app.
 *
 * <p>An ES256 signature costs about 1 ms on JDK 17, so an assertion is signed once per
 * identity and app and reused until shortly before it expires; signing happens on a worker
 * thread. With {@code bindRequestId}, each request gets its own assertion carrying its request
 * id, at the cost of one signature per request.
 */
public final class AssertionSigner {

    /** An assertion is replaced when less than this much of its life is left. */
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(10);

    private record Key(Identity identity, String appId) {
    }

    private record Signed(String jwt, Instant expiresAt) {
    }

    private final Vertx vertx;
    private final ECDSASigner signer;
    private final JWSHeader header;
    private final String issuer;
    private final Duration lifetime;
    private final boolean bindRequestId;
    private final Clock clock;
    private final ProxyMetrics metrics;
    private final Cache<Key, Signed> cache;
    /** Signatures under way, so a burst of requests for one identity signs once, not once each. */
    private final ConcurrentMap<Key, Future<Signed>> signing = new ConcurrentHashMap<>();

    public AssertionSigner(Vertx vertx, ECKey key, SekishoConfig.Assertion config, Clock clock, ProxyMetrics metrics)
            throws JOSEException {
        this.vertx = vertx;
        this.signer = new ECDSASigner(key);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(new JOSEObjectType("sekisho-assertion+jwt")).build();
        this.issuer = config.issuer();
        this.lifetime = Duration.ofSeconds(config.lifetimeSeconds());
        this.bindRequestId = config.bindRequestId();
        this.clock = clock;
        this.metrics = metrics;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .executor(Runnable::run) // upkeep on the event loop: no hand-off to another pool per request
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(lifetime.minus(RENEW_BEFORE))
                .build();
    }

    /** The assertion to send for this identity and app. */
    public Future<String> assertionFor(Identity identity, String appId, String requestId) {
        if (bindRequestId) {
            return sign(identity, appId, requestId).map(Signed::jwt);
        }
        Key key = new Key(identity, appId);
        Signed cached = cache.getIfPresent(key);
        if (cached != null && clock.instant().plus(RENEW_BEFORE).isBefore(cached.expiresAt)) {
            return Future.succeededFuture(cached.jwt);
        }
        Promise<Signed> promise = Promise.promise();
        Future<Signed> pending = signing.putIfAbsent(key, promise.future());
        if (pending != null) {
            return pending.map(Signed::jwt); // another request is signing this one already
        }
        // Callbacks run only after the map holds the promise, never inside a map operation.
        sign(identity, appId, null).onComplete(ar -> {
            if (ar.succeeded()) {
                cache.put(key, ar.result());
            }
            signing.remove(key, promise.future());
            promise.handle(ar);
        });
        pending = promise.future();
        return pending.map(Signed::jwt);
    }

    private Future<Signed> sign(Identity identity, String appId, String requestId) {
        return vertx.executeBlocking(() -> {
            Instant now = clock.instant();
            Instant exp = now.plus(lifetime);
            if (identity.expiresAt().isBefore(exp)) {
                exp = identity.expiresAt(); // never vouch for longer than the user's own token
            }
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .subject(identity.subject())
                    .audience(appId)
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(exp))
                    .jwtID(UUID.randomUUID().toString())
                    .claim("idp", identity.issuer())
                    .claim("preferred_username", identity.username())
                    .claim("groups", new ArrayList<>(new TreeSet<>(identity.groups())))
                    .claim("amr", new ArrayList<>(new TreeSet<>(identity.methods())))
                    .claim("app", appId);
            identity.acr().ifPresent(acr -> claims.claim("acr", acr));
            identity.authTime().ifPresent(t -> claims.claim("auth_time", t.getEpochSecond()));
            if (requestId != null) {
                claims.claim("rid", requestId);
            }
            SignedJWT jwt = new SignedJWT(header, claims.build());
            jwt.sign(signer);
            metrics.assertionSigned();
            return new Signed(jwt.serialize(), exp);
        }, false);
    }
}
