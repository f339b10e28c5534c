package jp.sekisho.policy.breakout;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Microsoft Entra tenant restrictions: for these login hosts only, the forward proxy opens TLS
 * and adds these headers, so that staff can sign in to the municipality's own tenant and no other.
 *
 * @param hosts   normalised host names that are intercepted (every other host is tunnelled untouched)
 * @param headers header name to value, e.g. {@code Restrict-Access-To-Tenants} and
 *                {@code Restrict-Access-Context}, or {@code sec-Restrict-Tenant-Access-Policy}
 */
public record TenantRestrictions(Set<String> hosts, Map<String, String> headers) {

    public static final TenantRestrictions NONE = new TenantRestrictions(Set.of(), Map.of());

    public TenantRestrictions {
        hosts = Set.copyOf(hosts);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(headers, "headers");
    }

    public boolean intercepts(String host) {
        return hosts.contains(host);
    }
}
