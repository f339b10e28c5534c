package jp.sekisho.admin;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What an administrator may do, as the roles claim names it. */
public enum AdminRole {
    /** Reads apps, policies, history and diffs. */
    VIEWER,
    /** Changes, rolls back and replays the policy of the tenant's apps. */
    POLICY_EDITOR,
    /** Quarantines and releases devices and users, revokes sessions. */
    SECURITY_OPERATOR,
    /** Reads the tenant's audit records. */
    AUDIT_READER,
    /** Everything above, within the tenant. */
    TENANT_ADMIN,
    /** Everything, in every tenant, and the sections every tenant shares. */
    GLOBAL_ADMIN;

    /** The claim value: {@code policy-editor}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<AdminRole> parse(String text) {
        for (AdminRole role : values()) {
            if (role.code().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** The roles that carry a permission (the higher roles include the lower). */
    static Set<AdminRole> with(AdminRole role) {
        return EnumSet.of(role, TENANT_ADMIN, GLOBAL_ADMIN);
    }
}
