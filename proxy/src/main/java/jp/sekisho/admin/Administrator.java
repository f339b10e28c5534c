package jp.sekisho.admin;

import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.Identity;

/**
 * An authenticated administrator: who, with which roles, over which tenants.
 *
 * @param identity the verified token's identity
 * @param roles    roles the token grants (unknown role names are ignored)
 * @param tenants  the 団体コード the administrator belongs to; empty in a deployment without tenants
 */
public record Administrator(Identity identity, Set<AdminRole> roles, Set<String> tenants) {

    public Administrator {
        roles = Set.copyOf(roles);
        tenants = Set.copyOf(tenants);
    }

    public boolean global() {
        return roles.contains(AdminRole.GLOBAL_ADMIN);
    }

    /** True when any of the roles carrying {@code permission} is held; every role may view. */
    public boolean may(AdminRole permission) {
        if (permission == AdminRole.VIEWER) {
            return !roles.isEmpty();
        }
        return AdminRole.with(permission).stream().anyMatch(roles::contains);
    }

    /**
     * Whether an object of {@code tenant} (empty: an object of no tenant) is in this
     * administrator's reach. A global administrator reaches every object; others reach their
     * tenants' objects, and objects of no tenant only when they belong to no tenant themselves
     * (a deployment for one municipality).
     */
    public boolean reaches(Optional<String> tenant) {
        if (global()) {
            return true;
        }
        return tenant.map(tenants::contains).orElse(tenants.isEmpty());
    }

    /** The name audit records give the administrator: the username, and the subject when they differ. */
    public String name() {
        Identity id = identity;
        return id.username().equals(id.subject()) ? id.username() : id.username() + " (" + id.subject() + ")";
    }
}
