package jp.sekisho.policy.replay;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;

/**
 * What became of a request: the app it was routed to, the outcome, the reasons and the rule.
 * Recorded (what the gateway did) or replayed (what the draft policy would do).
 *
 * @param app     the app id, empty when no app served the request
 * @param outcome allow, deny, step-up or unauthenticated
 * @param reasons the reason codes, the first being the one shown to the user
 * @param rule    the rule that decided, when one did
 */
public record Verdict(Optional<String> app, Outcome outcome, List<Reason> reasons, Optional<String> rule) {

    public Verdict {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(outcome, "outcome");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(rule, "rule");
    }

    /** A decision of {@code app}. */
    static Verdict of(String app, Decision decision) {
        return new Verdict(Optional.of(app), decision.outcome(), decision.reasons(), decision.ruleId());
    }

    /** The reason codes, as audit records write them. */
    public List<String> reasonCodes() {
        String[] codes = new String[reasons.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = reasons.get(i).code();
        }
        return List.of(codes);
    }

    /** "deny (user-not-allowed) by rule x", for people. */
    @Override
    public String toString() {
        return outcome.code() + " (" + String.join(", ", reasonCodes()) + ")" + rule.map(r -> " rule " + r).orElse("");
    }
}
