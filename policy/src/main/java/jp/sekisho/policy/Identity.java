package jp.sekisho.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a verified token says the user is: only what decisions and the upstream assertion need.
 *
 * @param issuer     the token's {@code iss}
 * @param subject    the token's {@code sub}
 * @param username   the value policies name users by (the issuer's configured user claim)
 * @param groups     group names from the issuer's configured groups claim
 * @param amr        authentication methods (RFC 8176), as the issuer wrote them
 * @param methods    the canonical methods those claims prove, by the issuer's mapping
 * @param acr        authentication context class, when present
 * @param authTime   when the user authenticated, when present
 * @param expiresAt  when the token expires
 * @param claims     further claims the issuer is configured to keep (such as a department), for rules
 */
public record Identity(String issuer, String subject, String username, Set<String> groups, List<String> amr,
                       Set<String> methods, Optional<String> acr, Optional<Instant> authTime, Instant expiresAt,
                       Map<String, List<String>> claims) {

    public Identity(String issuer, String subject, String username, Set<String> groups, List<String> amr,
                    Set<String> methods, Optional<String> acr, Optional<Instant> authTime, Instant expiresAt) {
        this(issuer, subject, username, groups, amr, methods, acr, authTime, expiresAt, Map.of());
    }

    public Identity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(username, "username");
        groups = Set.copyOf(groups);
        amr = List.copyOf(amr);
        methods = Set.copyOf(methods);
        Objects.requireNonNull(acr, "acr");
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(expiresAt, "expiresAt");
        claims = Map.copyOf(claims);
    }
}
