package jp.sekisho.device;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.identity.JwsKeys;
import jp.sekisho.posture.DeviceFacts;
import jp.sekisho.posture.PostureFailure;
import jp.sekisho.posture.PostureJson;

/**
 * Checks a device posture token completely, synchronously and without I/O: type
 * {@code dpt+jwt}, algorithm (ES256 or EdDSA only), issuer, key, signature, lifetime cap,
 * time, audience, then the facts. Costs a signature verification: callers cache the result.
 */
public final class PostureTokenVerifier {

    public static final String TYPE = "dpt+jwt";
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);
    private static final Duration REFUSAL_MEMORY = Duration.ofMinutes(5);
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** A posture service, as the verifier needs it. */
    public record TrustedPostureIssuer(String id, String issuer, PostureKeys keys) {
    }

    private final Map<String, TrustedPostureIssuer> issuersByIss;
    private final Set<String> audiences;
    private final Duration maxLifetime;
    private final Duration skew;

    public PostureTokenVerifier(Map<String, TrustedPostureIssuer> issuersByIss, Set<String> audiences,
                                Duration maxLifetime, Duration skew) {
        this.issuersByIss = Map.copyOf(issuersByIss);
        this.audiences = Set.copyOf(audiences);
        this.maxLifetime = maxLifetime;
        this.skew = skew;
    }

    public PostureVerification verify(String token, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused(PostureFailure.DEVICE_TOKEN_INVALID, now);
        }
        JWSHeader header = jwt.getHeader();
        if (!isPostureType(header.getType()) || !ALGORITHMS.contains(header.getAlgorithm())) {
            return refused(PostureFailure.DEVICE_TOKEN_INVALID, now);
        }
        TrustedPostureIssuer issuer = claims.getIssuer() == null ? null : issuersByIss.get(claims.getIssuer());
        if (issuer == null) {
            return refused(PostureFailure.DEVICE_TOKEN_ISSUER_UNKNOWN, now);
        }
        long generation = issuer.keys().generation(); // read before the keys: never newer than them
        JWK key = JwsKeys.select(issuer.keys().current(), header);
        if (key == null) {
            return new PostureVerification.UnknownKey(issuer.id(), generation);
        }
        try {
            if (!jwt.verify(JwsKeys.verifier(key, header.getAlgorithm()))) {
                return refused(PostureFailure.DEVICE_TOKEN_INVALID, now);
            }
        } catch (JOSEException | IllegalStateException e) {
            return refused(PostureFailure.DEVICE_TOKEN_INVALID, now);
        }
        return checkClaims(claims, now, issuer.id(), generation);
    }

    private PostureVerification checkClaims(JWTClaimsSet claims, Instant now, String issuerId, long generation) {
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        String subject = claims.getSubject();
        if (exp == null || iat == null || subject == null || subject.isBlank() || subject.length() > 256) {
            return refused(PostureFailure.DEVICE_TOKEN_INVALID, now);
        }
        // The cap is on what the posture service signed, so a long-lived token is refused
        // even while young: a stolen one must not outlive the next posture check by much.
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(maxLifetime) > 0) {
            return refused(PostureFailure.DEVICE_TOKEN_LIFETIME_TOO_LONG, now);
        }
        Instant until = exp.toInstant().plus(skew);
        if (!now.isBefore(until)) {
            return refused(PostureFailure.DEVICE_TOKEN_EXPIRED, now);
        }
        if (iat.toInstant().isAfter(now.plus(skew))) {
            return new PostureVerification.Refused(PostureFailure.DEVICE_TOKEN_INVALID, iat.toInstant().minus(skew));
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            return new PostureVerification.Refused(PostureFailure.DEVICE_TOKEN_INVALID, nbf.toInstant().minus(skew));
        }
        List<String> audience = claims.getAudience();
        if (audience == null || audience.stream().noneMatch(audiences::contains)) {
            return refused(PostureFailure.DEVICE_TOKEN_AUDIENCE_MISMATCH, now);
        }
        try {
            Object posture = claims.getClaim(PostureJson.CLAIM);
            DeviceFacts facts = PostureJson.read(subject, MAPPER.valueToTree(posture));
            return new PostureVerification.Verified(facts, until, thumbprint(claims), issuerId, generation);
        } catch (IllegalArgumentException | ClassCastException e) {
            return refused(PostureFailure.DEVICE_TOKEN_INVALID, now);
        }
    }

    /** The {@code cnf.x5t#S256} certificate thumbprint the token is bound to (RFC 8705), if any. */
    private static Optional<String> thumbprint(JWTClaimsSet claims) {
        Object cnf = claims.getClaim("cnf");
        if (cnf == null) {
            return Optional.empty();
        }
        if (!(cnf instanceof Map<?, ?> map) || !(map.get("x5t#S256") instanceof String thumbprint)
                || thumbprint.isEmpty()) {
            throw new IllegalArgumentException("cnf must hold an x5t#S256 thumbprint");
        }
        return Optional.of(thumbprint);
    }

    static boolean isPostureType(JOSEObjectType type) {
        if (type == null) {
            return false;
        }
        String t = type.getType().toLowerCase(Locale.ROOT);
        return t.equals(TYPE) || t.equals("application/" + TYPE);
    }

    private static PostureVerification refused(PostureFailure failure, Instant now) {
        return new PostureVerification.Refused(failure, now.plus(REFUSAL_MEMORY));
    }
}
