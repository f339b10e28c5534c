package jp.sekisho.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Lets in the named users, the members of the named groups, and those whose claims match, for
 * the requests it matches
 * (by segment, method and path).
 *
 * @param id       stable id, named in audit records and metrics
 * @param users    usernames (the issuer's user claim) this rule admits
 * @param groups   groups whose members this rule admits
 * @param where    what the request must be besides: its segment, method and path
 * @param claims   claims that admit by themselves: every named claim must hold one of its values
 */
public record AllowRule(String id, Set<String> users, Set<String> groups, RequestMatch where,
                        Map<String, Set<String>> claims) {

    public AllowRule(String id, Set<String> users, Set<String> groups) {
        this(id, users, groups, RequestMatch.ANY);
    }

    public AllowRule(String id, Set<String> users, Set<String> groups, RequestMatch where) {
        this(id, users, groups, where, Map.of());
    }

    /** A rule that admits only from {@code segments}. */
    public AllowRule(String id, Set<String> users, Set<String> groups, Set<String> segments) {
        this(id, users, groups, new RequestMatch(segments, Set.of(), java.util.List.of()));
    }

    /** The network segments this rule admits from; empty for any. */
    public Set<String> segments() {
        return where.segments();
    }

    public AllowRule {
        Objects.requireNonNull(id, "id");
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
        Objects.requireNonNull(where, "where");
        claims = Map.copyOf(claims);
        if (users.isEmpty() && groups.isEmpty() && claims.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " admits nobody: name users, groups or claims");
        }
    }

    /**
     * The reason this rule admits the identity (by user, group or claims), or null when it does
     * not: who, not from where or when (see {@link RequestMatch}).
     */
    public Reason admits(Identity identity) {
        return match(users, groups, claims, identity);
    }

    /**
     * How users, groups and claims name {@code identity}: the reason they do, or null. Shared by
     * allow and deny rules, so that both read "who" the same way.
     */
    static Reason match(Set<String> users, Set<String> groups, Map<String, Set<String>> claims, Identity identity) {
        if (users.contains(identity.username())) {
            return Reason.USER_ALLOWED;
        }
        for (String group : identity.groups()) {
            if (groups.contains(group)) {
                return Reason.GROUP_ALLOWED;
            }
        }
        return !claims.isEmpty() && claimsHold(claims, identity) ? Reason.CLAIMS_ALLOWED : null;
    }

    /** True when every named claim of the identity holds one of the values given for it. */
    static boolean claimsHold(Map<String, Set<String>> required, Identity identity) {
        for (Map.Entry<String, Set<String>> claim : required.entrySet()) {
            List<String> values = identity.claims().getOrDefault(claim.getKey(), List.of());
            if (values.stream().noneMatch(claim.getValue()::contains)) {
                return false;
            }
        }
        return true;
    }
}
