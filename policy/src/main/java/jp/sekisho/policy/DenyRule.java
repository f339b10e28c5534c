package jp.sekisho.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Refuses matching requests whatever an allow rule says: deny wins. With no users and no
 * groups it applies to everyone; its {@link RequestMatch} narrows it to segments, methods
 * and paths.
 *
 * @param id     stable id, named in audit records and metrics
 * @param users  usernames it applies to; with groups empty too, everyone
 * @param groups groups whose members it applies to
 * @param where  the requests it applies to
 * @param claims claims that make it apply (every named claim holding one of its values)
 */
public record DenyRule(String id, Set<String> users, Set<String> groups, RequestMatch where,
                       java.util.Map<String, Set<String>> claims) {

    public DenyRule(String id, Set<String> users, Set<String> groups, RequestMatch where) {
        this(id, users, groups, where, java.util.Map.of());
    }

    public DenyRule {
        Objects.requireNonNull(id, "id");
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
        Objects.requireNonNull(where, "where");
        claims = java.util.Map.copyOf(claims);
    }

    boolean applies(Identity identity, RequestFacts facts, java.time.Instant now) {
        if (!where.matches(facts, now)) {
            return false;
        }
        boolean everyone = users.isEmpty() && groups.isEmpty() && claims.isEmpty();
        return everyone || AllowRule.match(users, groups, claims, identity) != null;
    }
}
