package jp.sekisho.identity;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Reason;

/**
 * Establishes who sent a request from its {@code Authorization: Bearer} header.
 *
 * <p>A token is verified once: the result (identity, or refusal) is cached under the token's
 * hash until the token expires, so the common request costs one SHA-256 and a map lookup.
 * Verification itself runs on a worker thread, never on the event loop.
 */
public final class BearerAuthenticator {

    /** Larger than any IdP's access token; smaller than what would make hashing a cost. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Vertx vertx;
    private final TokenVerifier verifier;
    private final Map<String, IssuerKeys> keysByIssuerId;
    private final Clock clock;
    private final ProxyMetrics metrics;
    private final VerifiedCache<Authentication> cache;

    public BearerAuthenticator(Vertx vertx, TokenVerifier verifier, Map<String, IssuerKeys> keysByIssuerId,
                               Clock clock, ProxyMetrics metrics, long maxCachedTokens) {
        this.vertx = vertx;
        this.verifier = verifier;
        this.keysByIssuerId = Map.copyOf(keysByIssuerId);
        this.clock = clock;
        this.metrics = metrics;
        this.cache = new VerifiedCache<>(clock, maxCachedTokens);
    }

    /** @param authorization the request's Authorization header, or null */
    public Future<Authentication> authenticate(String authorization) {
        String token = bearerValue(authorization);
        if (token == null) {
            return Future.succeededFuture(Authentication.failed(authorization == null
                    ? Reason.TOKEN_MISSING : Reason.TOKEN_MALFORMED));
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return Future.succeededFuture(Authentication.failed(Reason.TOKEN_TOO_LARGE));
        }
        TokenKey key = TokenKey.of(token);
        Authentication cached = cache.get(key);
        if (cached != null) {
            // Only tokens that passed the syntax check below are ever cached, and equal digests
            // mean equal tokens: a hit needs no second look at the characters.
            metrics.tokenCache(true);
            return Future.succeededFuture(cached);
        }
        if (!isB64Token(token)) {
            return Future.succeededFuture(Authentication.failed(Reason.TOKEN_MALFORMED));
        }
        metrics.tokenCache(false);
        return verify(token, true).map(result -> remember(key, result));
    }

    private Future<VerificationResult> verify(String token, boolean mayRefetch) {
        return vertx.executeBlocking(() -> verifier.verify(token, clock.instant()), false).compose(result -> {
            if (result instanceof VerificationResult.UnknownKey unknown) {
                IssuerKeys keys = keysByIssuerId.get(unknown.issuerId());
                if (mayRefetch && keys != null) {
                    // the keys answer on their own context: come back to this request's event loop
                    Context requestContext = vertx.getOrCreateContext();
                    Promise<JWKSet> refetched = Promise.promise();
                    keys.refetchForUnknownKey().onComplete(ar -> requestContext.runOnContext(v -> refetched.handle(ar)));
                    return refetched.future().transform(ar -> verify(token, false));
                }
            }
            return Future.succeededFuture(result);
        });
    }

    private Authentication remember(TokenKey key, VerificationResult result) {
        Instant now = clock.instant();
        if (result instanceof VerificationResult.Verified verified) {
            Authentication authentication = Authentication.of(verified.identity());
            cache.put(key, authentication, verified.identity().expiresAt());
            metrics.tokenVerified("valid");
            return authentication;
        }
        if (result instanceof VerificationResult.Refused refused) {
            Authentication authentication = Authentication.failed(refused.reason());
            if (refused.cacheUntil() != null) {
                cache.put(key, authentication, refused.cacheUntil());
            }
            metrics.tokenVerified(refused.reason().code());
            return authentication;
        }
        // still unknown after a refetch: remember briefly, the refetch is rate-limited anyway
        cache.put(key, Authentication.failed(Reason.TOKEN_KEY_UNKNOWN), now.plusSeconds(10));
        metrics.tokenVerified(Reason.TOKEN_KEY_UNKNOWN.code());
        return Authentication.failed(Reason.TOKEN_KEY_UNKNOWN);
    }

    /** The token of a {@code Bearer} credential (scheme case-insensitive, RFC 9110 §11.1), or null. */
    static String bearerToken(String authorization) {
        String token = bearerValue(authorization);
        return token != null && isB64Token(token) ? token : null;
    }

    /** The credentials after {@code Bearer }, trimmed; null for another scheme or none. */
    private static String bearerValue(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static boolean isB64Token(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= B64TOKEN.length || !B64TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6750 b64token characters, by code: one lookup for each of a token's ~1,000 characters. */
    private static final boolean[] B64TOKEN = new boolean[128];

    static {
        for (char c = 0; c < B64TOKEN.length; c++) {
            B64TOKEN[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
        }
    }
}
