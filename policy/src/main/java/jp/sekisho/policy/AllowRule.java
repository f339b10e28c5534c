package jp.sekisho.policy;

import java.util.Objects;
import java.util.Set;

/**
 * Lets in the named users and the members of the named groups.
 *
 * @param id     stable id, named in audit records and metrics
 * @param users  usernames (the issuer's user claim) this rule admits
 * @param groups groups whose members this rule admits
 */
public record AllowRule(String id, Set<String> users, Set<String> groups) {

    public AllowRule {
        Objects.requireNonNull(id, "id");
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
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
