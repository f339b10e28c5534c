package jp.sekisho.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link PolicyEngine#decide}: data, not behaviour, so it can be audited,
 * counted and explained the same way everywhere.
 *
 * @param outcome       allow, deny or unauthenticated
 * @param reasons       at least one reason from the closed vocabulary
 * @param ruleId        the rule that decided, when one did
 * @param policyVersion the version of the policy snapshot the decision was made against
 */
public record Decision(Outcome outcome, List<Reason> reasons, Optional<String> ruleId, String policyVersion) {

    public Decision {
        Objects.requireNonNull(outcome, "outcome");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a decision needs at least one reason");
        }
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(policyVersion, "policyVersion");
    }

    public static Decision allow(Reason reason, String ruleId, String policyVersion) {
        return new Decision(Outcome.ALLOW, List.of(reason), Optional.of(ruleId), policyVersion);
    }

    public static Decision deny(Reason reason, String policyVersion) {
        return new Decision(Outcome.DENY, List.of(reason), Optional.empty(), policyVersion);
    }

    /** Refused by the rule that admitted the user, for every reason given (e.g. each unmet posture check). */
    public static Decision deny(List<Reason> reasons, String ruleId, String policyVersion) {
        return new Decision(Outcome.DENY, reasons, Optional.of(ruleId), policyVersion);
    }

    public static Decision stepUp(Reason reason, String ruleId, String policyVersion) {
        return new Decision(Outcome.STEP_UP, List.of(reason), Optional.of(ruleId), policyVersion);
    }

    public static Decision unauthenticated(Reason reason, String policyVersion) {
        return new Decision(Outcome.UNAUTHENTICATED, List.of(reason), Optional.empty(), policyVersion);
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOW;
    }

    /** The first reason: the one a user or a metric label is shown. */
    public Reason primaryReason() {
        return reasons.get(0);
    }
}
