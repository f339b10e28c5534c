package jp.sekisho.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Lets in the named users and the members of the named groups, for the requests it matches
 * (by segment, method and path).
 *
 * @param id       stable id, named in audit records and metrics
 * @param users    usernames (the issuer's user claim) this rule admits
 * @param groups   groups whose members this rule admits
 * @param where    what the request must be besides: its segment, method and path
 */
public record AllowRule(String id, Set<String> users, Set<String> groups, RequestMatch where) {

    public AllowRule(String id, Set<String> users, Set<String> groups) {
        this(id, users, groups, RequestMatch.ANY);
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
        if (users.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " admits nobody: name users or groups");
        }
    }

    /** The reason this rule admits the identity, or null when it does not. */
    Reason admits(Identity identity) {
        if (users.contains(identity.username())) {
            return Reason.USER_ALLOWED;
        }
        for (String group : identity.groups()) {
            if (groups.contains(group)) {
                return Reason.GROUP_ALLOWED;
            }
        }
        return null;
    }
}
