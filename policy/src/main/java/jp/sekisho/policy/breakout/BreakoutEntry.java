package jp.sekisho.policy.breakout;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.mfa.MfaRequirement;
import jp.sekisho.policy.network.CidrSet;
import jp.sekisho.posture.PostureRequirement;

/**
 * One destination (or family of destinations) staff may reach directly.
 *
 * @param id           stable id, named in audit records and metrics
 * @param name         what people call it ("Microsoft 365 Exchange Online")
 * @param domains      host patterns as written: exact names, or {@code *.example.com} for any name
 *                     below example.com (not example.com itself)
 * @param ports        the destination ports allowed
 * @param addresses    IP literals (addresses or CIDR ranges) a client may name directly; empty: none
 * @param category     e.g. {@code optimize}, {@code allow}, {@code default} (Microsoft's categories) or
 *                     one the administrator chooses; a metric label
 * @param ismap        the service's ISMAP registration, when it has one
 * @param allow        who may use it, from where and when (the policy language's allow rules; methods
 *                     and paths are not used); empty: every authenticated user
 * @param mfa          how strong and fresh the sign-in must be
 * @param posture      what the device must prove
 * @param allowPrivate the name may resolve to loopback, link-local or private addresses (an
 *                     on-premises service); otherwise such an answer is refused
 * @param deviceOnly   a device proving itself with its certificate may use it without a user token
 * @param source       where the entry came from when imported, such as {@code m365:2026103000}
 */
public record BreakoutEntry(String id, String name, List<String> domains, Set<Integer> ports, CidrSet addresses,
                            String category, Optional<IsmapRegistration> ismap, List<AllowRule> allow,
                            MfaRequirement mfa, PostureRequirement posture, boolean allowPrivate,
                            boolean deviceOnly, Optional<String> source) {

    public BreakoutEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        domains = List.copyOf(domains);
        ports = Set.copyOf(ports);
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(ismap, "ismap");
        allow = List.copyOf(allow);
        Objects.requireNonNull(mfa, "mfa");
        Objects.requireNonNull(posture, "posture");
        Objects.requireNonNull(source, "source");
        if (deviceOnly && !allow.isEmpty()) {
            // without a user no rule could be judged: the entry would open to every device
            throw new IllegalArgumentException("entry " + id + ": a deviceOnly entry cannot have allow rules");
        }
    }
}
