package jp.sekisho.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import jp.sekisho.config.SekishoConfig;
import jp.sekisho.policy.mfa.MethodMapping;

/**
 * One configured issuer as the verifier needs it: its rules, compiled once, and a view of its
 * current signing keys (null until the first successful fetch).
 */
public record TrustedIssuer(String id, String issuer, Set<String> audiences, Set<JWSAlgorithm> algorithms,
                            Set<String> types, Duration clockSkew, String userClaim, String groupsClaim,
                            MethodMapping methods, Supplier<JWKSet> keys, Set<String> keepClaims) {

    public TrustedIssuer {
        audiences = Set.copyOf(audiences);
        algorithms = Set.copyOf(algorithms);
        types = Set.copyOf(types);
        keepClaims = Set.copyOf(keepClaims);
    }

    public static TrustedIssuer of(SekishoConfig.Issuer config, Supplier<JWKSet> keys) {
        return new TrustedIssuer(config.id(), config.issuer(), Set.copyOf(config.audiences()),
                config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet()),
                config.types().stream().map(TrustedIssuer::normalizeType).collect(Collectors.toSet()),
                Duration.ofSeconds(config.clockSkewSeconds()), config.userClaim(), config.groupsClaim(),
                config.mfa().mapping(), keys, Set.copyOf(config.keepClaims()));
    }

    /** RFC 7515 §4.1.9: compare media types case-insensitively, without "application/". */
    static String normalizeType(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return t.startsWith("application/") ? t.substring("application/".length()) : t;
    }

    boolean acceptsType(String type) {
        return types.contains(normalizeType(type));
    }
}
