package jp.sekisho.policy.breakout;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The compiled {@code breakout} section: the allowlist, the parent proxies, tenant restrictions
 * and what an expired ISMAP registration does. Immutable; matching a host costs a hash probe per
 * label of the name, whatever the number of entries.
 */
public final class BreakoutPolicy {

    /** What happens to an entry whose ISMAP registration is not valid today. */
    public enum IsmapMode {
        /** Refused ({@code ismap-expired}). */
        ENFORCE,
        /** Allowed, with {@code ismap-expired} among the reasons and a lint warning. */
        WARN
    }

    public static final BreakoutPolicy NONE = new BreakoutPolicy(List.of(), List.of(), TenantRestrictions.NONE,
            IsmapMode.ENFORCE, ZoneId.of("Asia/Tokyo"));

    private final List<BreakoutEntry> entries;
    private final List<ParentProxy> parents;
    private final TenantRestrictions tenantRestrictions;
    private final IsmapMode ismapMode;
    private final ZoneId zone;
    private final DomainTable table;

    public BreakoutPolicy(List<BreakoutEntry> entries, List<ParentProxy> parents,
                          TenantRestrictions tenantRestrictions, IsmapMode ismapMode, ZoneId zone) {
        this.entries = List.copyOf(entries);
        this.parents = List.copyOf(parents);
        this.tenantRestrictions = tenantRestrictions;
        this.ismapMode = ismapMode;
        this.zone = zone;
        this.table = DomainTable.of(this.entries);
    }

    public List<BreakoutEntry> entries() {
        return entries;
    }

    public List<ParentProxy> parents() {
        return parents;
    }

    public TenantRestrictions tenantRestrictions() {
        return tenantRestrictions;
    }

    public IsmapMode ismapMode() {
        return ismapMode;
    }

    /** The time zone ISMAP dates are read in (the policy's {@code timeZone}). */
    public ZoneId zone() {
        return zone;
    }

    /** True when the section lists nothing and chains nothing (the forward proxy refuses everything). */
    public boolean isEmpty() {
        return entries.isEmpty() && parents.isEmpty();
    }

    /**
     * The entry that lists the destination's host (or, for an IP literal, its address), whatever
     * the port: an exact name before the longest wildcard, then the first entry in the file's order.
     */
    public Optional<BreakoutEntry> match(Destination destination) {
        return table.match(destination);
    }

    /** The parent proxy for requests from {@code segment}: the first whose segments include it (or that names none). */
    public Optional<ParentProxy> parentFor(Optional<String> segment) {
        for (ParentProxy parent : parents) {
            if (parent.segments().isEmpty() || segment.isPresent() && parent.segments().contains(segment.get())) {
                return Optional.of(parent);
            }
        }
        return Optional.empty();
    }
}
