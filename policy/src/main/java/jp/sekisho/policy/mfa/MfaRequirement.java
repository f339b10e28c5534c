package jp.sekisho.policy.mfa;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Reason;

/**
 * How strong and how fresh an app needs the user's authentication to be.
 *
 * @param anyOf            at least one of these methods (empty: any method)
 * @param minFactorClasses how many factor classes (knowledge, possession, inherence), 0 for no minimum
 * @param maxAge           how long ago the user may have authenticated, when limited
 * @param maxAgeByMethod   a tighter or looser window for particular methods of {@code anyOf}
 *                         (face within 15 minutes, otp within 5)
 * @param acrValues        what to ask the IdP for when stepping up, if anything
 */
public record MfaRequirement(Set<String> anyOf, int minFactorClasses, Optional<Duration> maxAge,
                             Map<String, Duration> maxAgeByMethod, Optional<String> acrValues) {

    public static final MfaRequirement NONE =
            new MfaRequirement(Set.of(), 0, Optional.empty(), Map.of(), Optional.empty());

    public MfaRequirement {
        anyOf = Set.copyOf(anyOf);
        Objects.requireNonNull(maxAge, "maxAge");
        maxAgeByMethod = Map.copyOf(maxAgeByMethod);
        Objects.requireNonNull(acrValues, "acrValues");
        if (minFactorClasses < 0 || minFactorClasses > 3) {
            throw new IllegalArgumentException("minFactorClasses must be 0 to 3");
        }
        if (!anyOf.containsAll(maxAgeByMethod.keySet())) {
            throw new IllegalArgumentException("maxAgeByMethod may only name methods of anyOf");
        }
    }

    public boolean isNone() {
        return anyOf.isEmpty() && minFactorClasses == 0 && maxAge.isEmpty() && maxAgeByMethod.isEmpty();
    }

    /** The longest window any method may use, for the step-up {@code max_age}. */
    public Optional<Duration> strictestAge() {
        Duration strictest = maxAge.orElse(null);
        for (Duration d : maxAgeByMethod.values()) {
            if (strictest == null || d.compareTo(strictest) < 0) {
                strictest = d;
            }
        }
        return Optional.ofNullable(strictest);
    }

    /** Why the identity falls short, or empty when it satisfies the requirement. */
    public Optional<Reason> shortfall(Identity identity, Instant now) {
        Set<String> methods = identity.methods();
        Set<String> candidates = anyOf.isEmpty() ? methods : intersect(methods, anyOf);
        if (!anyOf.isEmpty() && candidates.isEmpty()) {
            return Optional.of(Reason.MFA_METHOD_MISSING);
        }
        if (AuthMethods.factorClasses(methods) < minFactorClasses) {
            return Optional.of(Reason.MFA_FACTORS_INSUFFICIENT);
        }
        if (maxAge.isEmpty() && maxAgeByMethod.isEmpty()) {
            return Optional.empty();
        }
        if (identity.authTime().isEmpty()) {
            return Optional.of(Reason.MFA_AUTH_TIME_MISSING); // no proof of freshness is no freshness
        }
        Duration age = Duration.between(identity.authTime().get(), now);
        if (anyOf.isEmpty()) {
            return age.compareTo(maxAge.get()) <= 0 ? Optional.empty() : Optional.of(Reason.MFA_TOO_OLD);
        }
        for (String method : candidates) {
            Duration window = maxAgeByMethod.getOrDefault(method, maxAge.orElse(null));
            if (window == null || age.compareTo(window) <= 0) {
                return Optional.empty();
            }
        }
        return Optional.of(Reason.MFA_TOO_OLD);
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        java.util.Set<String> out = new java.util.TreeSet<>(a);
        out.retainAll(b);
        return out;
    }
}
