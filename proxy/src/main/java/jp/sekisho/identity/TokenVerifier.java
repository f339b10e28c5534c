package jp.sekisho.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Reason;

/**
 * Checks a bearer JWT completely, synchronously and without I/O: structure, algorithm
 * allowlist, type, issuer, key, signature, then time and audience claims (RFC 8725).
 *
 * <p>Costs a signature verification (up to ~1 ms for ES256 on JDK 17), so callers run it off
 * the event loop and cache what it returns.
 */
public final class TokenVerifier {

    /** How long a refused token is remembered: its signature and claims cannot change. */
    private static final Duration REFUSAL_MEMORY = Duration.ofMinutes(5);

    private final Map<String, TrustedIssuer> issuersByIss;

    public TokenVerifier(Map<String, TrustedIssuer> issuersByIss) {
        this.issuersByIss = Map.copyOf(issuersByIss);
    }

    public VerificationResult verify(String token, Instant now) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            return refused(Reason.TOKEN_MALFORMED, now);
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            // alg "none" (PlainJWT) or an encrypted JWT: never accepted as a bearer token
            return refused(Reason.TOKEN_ALGORITHM_NOT_ALLOWED, now);
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refused(Reason.TOKEN_MALFORMED, now);
        }
        TrustedIssuer issuer = claims.getIssuer() == null ? null : issuersByIss.get(claims.getIssuer());
        if (issuer == null) {
            return refused(Reason.TOKEN_ISSUER_UNKNOWN, now);
        }
        JWSHeader header = jwt.getHeader();
        if (!issuer.algorithms().contains(header.getAlgorithm())) {
            return refused(Reason.TOKEN_ALGORITHM_NOT_ALLOWED, now);
        }
        JOSEObjectType type = header.getType();
        if (type != null && !issuer.acceptsType(type.getType())) {
            return refused(Reason.TOKEN_TYPE_NOT_ALLOWED, now);
        }
        JWKSet keys = issuer.keys().get();
        if (keys == null) {
            return new VerificationResult.Refused(Reason.ISSUER_KEYS_UNAVAILABLE, null);
        }
        JWK key = JwsKeys.select(keys, header);
        if (key == null) {
            return new VerificationResult.UnknownKey(issuer.id());
        }
        try {
            if (!jwt.verify(JwsKeys.verifier(key, header.getAlgorithm()))) {
                return refused(Reason.TOKEN_SIGNATURE_INVALID, now);
            }
        } catch (JOSEException | IllegalStateException e) {
            return refused(Reason.TOKEN_SIGNATURE_INVALID, now);
        }
        return checkClaims(claims, issuer, now);
    }

    private VerificationResult checkClaims(JWTClaimsSet claims, TrustedIssuer issuer, Instant now) {
        Duration skew = issuer.clockSkew();
        Date exp = claims.getExpirationTime();
        if (exp == null || claims.getSubject() == null || claims.getSubject().isEmpty()) {
            return refused(Reason.TOKEN_CLAIMS_INVALID, now);
        }
        Instant expiresAt = exp.toInstant();
        if (!now.isBefore(expiresAt.plus(skew))) {
            return refused(Reason.TOKEN_EXPIRED, now);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            // not yet valid: it may become valid, so remember the refusal only until then
            return new VerificationResult.Refused(Reason.TOKEN_NOT_YET_VALID, nbf.toInstant().minus(skew));
        }
        Date iat = claims.getIssueTime();
        if (iat != null && iat.toInstant().isAfter(now.plus(skew))) {
            return new VerificationResult.Refused(Reason.TOKEN_ISSUED_IN_FUTURE, iat.toInstant().minus(skew));
        }
        List<String> audience = claims.getAudience();
        if (audience == null || audience.stream().noneMatch(issuer.audiences()::contains)) {
            return refused(Reason.TOKEN_AUDIENCE_MISMATCH, now);
        }
        Identity identity;
        try {
            identity = identity(claims, issuer, expiresAt.plus(skew));
        } catch (ParseException | ClassCastException e) {
            return refused(Reason.TOKEN_CLAIMS_INVALID, now);
        }
        return new VerificationResult.Verified(identity);
    }

    private static Identity identity(JWTClaimsSet claims, TrustedIssuer issuer, Instant expiresAt)
            throws ParseException {
        Object user = claims.getClaim(issuer.userClaim());
        String username = user instanceof String s && !s.isEmpty() ? s : claims.getSubject();
        Date authTime = claims.getDateClaim("auth_time");
        List<String> amr = stringOrList(claims.getClaim("amr"));
        String acr = claims.getStringClaim("acr");
        return new Identity(issuer.issuer(), claims.getSubject(), username,
                Set.copyOf(stringOrList(claims.getClaim(issuer.groupsClaim()))),
                amr,
                issuer.methods().methods(amr, acr, stringOrList(claims.getClaim("acrs"))),
                Optional.ofNullable(acr),
                Optional.ofNullable(authTime).map(Date::toInstant),
                expiresAt, keptClaims(issuer, claims));
    }

    /** A claim that may be one string or a list of strings (groups, amr). */
    private static List<String> stringOrList(Object claim) {
        if (claim == null) {
            return List.of();
        }
        if (claim instanceof String s) {
            return List.of(s);
        }
        if (claim instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object item : list) {
                if (item instanceof String s) {
                    out.add(s);
                }
            }
            return out;
        }
        throw new ClassCastException("claim is neither a string nor a list of strings");
    }

    private static VerificationResult refused(Reason reason, Instant now) {
        return new VerificationResult.Refused(reason, now.plus(REFUSAL_MEMORY));
    }

    /** The claims the issuer is configured to keep, when they are strings or lists of strings. */
    private static java.util.Map<String, List<String>> keptClaims(TrustedIssuer issuer, JWTClaimsSet claims) {
        if (issuer.keepClaims().isEmpty()) {
            return java.util.Map.of();
        }
        java.util.Map<String, List<String>> kept = new java.util.HashMap<>();
        for (String name : issuer.keepClaims()) {
            List<String> values = stringOrList(claims.getClaim(name));
            if (!values.isEmpty()) {
                kept.put(name, values);
            }
        }
        return kept;
    }
}
