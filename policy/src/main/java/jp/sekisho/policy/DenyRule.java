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
 */
public record DenyRule(String id, Set<String> users, Set<String> groups, RequestMatch where) {

    public DenyRule {
        Objects.requireNonNull(id, "id");
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
        Objects.requireNonNull(where, "where");
    }

    boolean applies(Identity identity, RequestFacts facts, java.time.Instant now) {
        if (!where.matches(facts, now)) {
            return false;
        }
        if (users.isEmpty() && groups.isEmpty()) {
            return true;
        }
        if (users.contains(identity.username())) {
            return true;
        }
        for (String group : identity.groups()) {
            if (groups.contains(group)) {
                return true;
            }
        }
        return false;
    }
}
