package jp.sekisho.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lets in the named users and the members of the named groups, from the named network
 * segments.
 *
 * @param id       stable id, named in audit records and metrics
 * @param users    usernames (the issuer's user claim) this rule admits
 * @param groups   groups whose members this rule admits
 * @param segments network segment ids the request must come from; empty for any (or none)
 */
public record AllowRule(String id, Set<String> users, Set<String> groups, Set<String> segments) {

    public AllowRule(String id, Set<String> users, Set<String> groups) {
        this(id, users, groups, Set.of());
    }

    public AllowRule {
        Objects.requireNonNull(id, "id");
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
        segments = Set.copyOf(segments);
        if (users.isEmpty() && groups.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " admits nobody: name users or groups");
        }
    }

    /** True when a request from {@code segment} (empty: in no named segment) may use this rule. */
    boolean allowsSegment(Optional<String> segment) {
        return segments.isEmpty() || segment.isPresent() && segments.contains(segment.get());
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
