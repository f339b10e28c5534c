package jp.sekisho.device;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Map;
import jp.sekisho.identity.TokenKey;
import jp.sekisho.identity.VerifiedCache;
import jp.sekisho.metrics.ProxyMetrics;
import jp.sekisho.posture.DevicePosture;
import jp.sekisho.posture.PostureFailure;

/**
 * Gathers what one request proves about its device: the client certificate of its TLS
 * connection and the device posture token in its header, each checked, and the two checked
 * against each other. A token is verified once and its conclusion cached under its hash, so
 * the common request costs one SHA-256 and a map lookup.
 */
public final class DeviceEvidence {

    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private final Vertx vertx;
    private final PostureTokenVerifier verifier;
    private final Map<String, PostureKeys> keysByIssuerId;
    private final DeviceCertificates certificates; // null when the listener asks for none
    private final String header;
    private final Clock clock;
    private final ProxyMetrics metrics;
    private final VerifiedCache<PostureVerification> cache;
    private long watchTimer = -1;

    public DeviceEvidence(Vertx vertx, PostureTokenVerifier verifier, Map<String, PostureKeys> keysByIssuerId,
                          DeviceCertificates certificates, String header, Clock clock, ProxyMetrics metrics,
                          long maxCachedTokens) {
        this.vertx = vertx;
        this.verifier = verifier;
        this.keysByIssuerId = Map.copyOf(keysByIssuerId);
        this.certificates = certificates;
        this.header = header;
        this.clock = clock;
        this.metrics = metrics;
        this.cache = new VerifiedCache<>(clock, maxCachedTokens);
    }

    /** The request header that carries the device posture token. */
    public String header() {
        return header;
    }

    public Future<DevicePosture> of(HttpServerRequest request) {
        DeviceCertificates.Presented certificate = certificates == null ? null : certificates.of(request);
        DevicePosture base = certificate != null && certificate.identifiesDevice()
                ? DevicePosture.certificate(certificate.deviceId()) : DevicePosture.unknown();
        String token = request.getHeader(header);
        if (token == null) {
            return Future.succeededFuture(base);
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Future.succeededFuture(base.withTokenProblem(PostureFailure.DEVICE_TOKEN_INVALID));
        }
        TokenKey key = TokenKey.of(token);
        PostureVerification cached = cache.get(key);
        if (cached != null && stillCurrent(cached)) {
            return Future.succeededFuture(combine(cached, base, certificate));
        }
        return verify(token, true).map(result -> {
            remember(key, result);
            return combine(result, base, certificate);
        });
    }

    /** A verified result stands only while the keys that verified it are the current reading. */
    private boolean stillCurrent(PostureVerification cached) {
        return !(cached instanceof PostureVerification.Verified verified)
                || keysByIssuerId.get(verified.issuerId()).generation() == verified.keysGeneration();
    }

    private Future<PostureVerification> verify(String token, boolean mayReread) {
        return vertx.executeBlocking(() -> verifier.verify(token, clock.instant()), false).compose(result -> {
            if (mayReread && result instanceof PostureVerification.UnknownKey unknown) {
                PostureKeys keys = keysByIssuerId.get(unknown.issuerId());
                // Another request may have re-read the keys since this one looked: try those too.
                return vertx.executeBlocking(keys::rereadIfChanged, false).compose(changed ->
                        changed || keys.generation() != unknown.keysGeneration()
                                ? verify(token, false) : Future.succeededFuture(result));
            }
            return Future.succeededFuture(result);
        });
    }

    /** Re-reads every posture issuer's keys now and then, so a removed key stops verifying. */
    public void watchKeys(java.time.Duration every) {
        if (keysByIssuerId.isEmpty()) {
            return;
        }
        watchTimer = vertx.setPeriodic(every.toMillis(), id -> vertx.executeBlocking(() -> {
            keysByIssuerId.values().forEach(PostureKeys::rereadIfChanged);
            return null;
        }, false));
    }

    public void stop() {
        if (watchTimer >= 0) {
            vertx.cancelTimer(watchTimer);
        }
    }

    private void remember(TokenKey key, PostureVerification result) {
        if (result instanceof PostureVerification.Verified verified) {
            cache.put(key, verified, verified.until());
            metrics.postureTokenVerified("valid");
        } else if (result instanceof PostureVerification.Refused refused) {
            cache.put(key, refused, refused.until());
            metrics.postureTokenVerified(refused.failure().code());
        } else {
            // still unknown after a re-read: remember briefly, the re-read is rate-limited anyway
            cache.put(key, new PostureVerification.Refused(PostureFailure.DEVICE_TOKEN_INVALID,
                    clock.instant().plusSeconds(10)), clock.instant().plusSeconds(10));
            metrics.postureTokenVerified("key-unknown");
        }
    }

    /**
     * The posture one token and one certificate prove together. A token bound to a
     * certificate ({@code cnf}) is only good on a connection that presented that certificate,
     * and a certificate and a token must name the same device.
     */
    static DevicePosture combine(PostureVerification result, DevicePosture base,
                                 DeviceCertificates.Presented certificate) {
        if (result instanceof PostureVerification.Verified verified) {
            boolean bound = verified.thumbprint().isPresent();
            if (bound && (certificate == null || !verified.thumbprint().get().equals(certificate.thumbprint()))) {
                return base.withTokenProblem(PostureFailure.DEVICE_TOKEN_CERTIFICATE_MISMATCH);
            }
            boolean identified = certificate != null && certificate.identifiesDevice();
            if (identified && !Quarantine.key(certificate.deviceId()).equals(Quarantine.key(verified.facts().deviceId()))) {
                return base.withTokenProblem(PostureFailure.DEVICE_TOKEN_CERTIFICATE_MISMATCH);
            }
            return DevicePosture.token(verified.facts(), identified);
        }
        if (result instanceof PostureVerification.Refused refused) {
            return base.withTokenProblem(refused.failure());
        }
        return base.withTokenProblem(PostureFailure.DEVICE_TOKEN_INVALID);
    }
}
