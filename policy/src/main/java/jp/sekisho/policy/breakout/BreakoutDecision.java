package jp.sekisho.policy.breakout;

import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.Decision;

/**
 * The verdict on one destination: the policy decision (outcome, reasons, the entry's rule, the
 * policy version), the allowlist entry that matched, and when the destination is not listed but
 * the segment has one, the parent proxy it is chained to.
 *
 * <p>Allowed with a parent: connect through the parent. Allowed without: connect directly.
 */
public record BreakoutDecision(Decision decision, Optional<BreakoutEntry> entry, Optional<ParentProxy> parent) {

    /** The metric and audit category of a destination no entry lists. */
    public static final String UNLISTED = "unlisted";

    public BreakoutDecision {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(parent, "parent");
    }

    public boolean allowed() {
        return decision.allowed();
    }

    /** The entry's category, or {@link #UNLISTED}. */
    public String category() {
        return entry.map(BreakoutEntry::category).orElse(UNLISTED);
    }
}
