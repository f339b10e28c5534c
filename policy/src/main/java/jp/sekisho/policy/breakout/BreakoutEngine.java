package jp.sekisho.policy.breakout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.sekisho.policy.AllowRule;
import jp.sekisho.policy.Authentication;
import jp.sekisho.policy.Decision;
import jp.sekisho.policy.Identity;
import jp.sekisho.policy.Outcome;
import jp.sekisho.policy.Reason;
import jp.sekisho.posture.PostureCheck;
import jp.sekisho.posture.PostureFailure;

/**
 * Decides one forward-proxy destination. Pure, like {@code PolicyEngine}: the same request,
 * policy and instant always give the same decision.
 *
 * <p>The order: an operator's device hold; the allowlist entry (an IP literal no entry lists is
 * refused whoever asks); who the user is (a device-only entry admits a device's certificate);
 * the user's hold; unlisted destinations go to the segment's parent or are refused; the port;
 * the ISMAP registration; the entry's allow rules; device posture; MFA (a step-up).
 */
public final class BreakoutEngine {

    private BreakoutEngine() {
    }

    public static BreakoutDecision decide(BreakoutRequest request, BreakoutPolicy policy, String policyVersion,
                                          Instant now) {
        Optional<BreakoutEntry> entry = policy.match(request.destination());
        if (request.quarantine().device()) {
            return refused(Reason.DEVICE_QUARANTINED, entry, policyVersion);
        }
        if (request.destination().ipLiteral() && entry.isEmpty()) {
            // a client naming an address dodges the name allowlist; never chained either
            return refused(Reason.DESTINATION_IP_LITERAL, entry, policyVersion);
        }
        Identity identity = null;
        if (request.authentication() instanceof Authentication.Unauthenticated failed) {
            boolean deviceOnly = entry.isPresent() && entry.get().deviceOnly() && request.device().hasCertificate();
            if (!deviceOnly) {
                return decided(Decision.unauthenticated(failed.reason(), policyVersion), entry);
            }
        } else {
            identity = ((Authentication.Authenticated) request.authentication()).identity();
            if (!now.isBefore(identity.expiresAt())) {
                return decided(Decision.unauthenticated(Reason.TOKEN_EXPIRED, policyVersion), entry);
            }
        }
        if (request.quarantine().user()) {
            return refused(Reason.USER_QUARANTINED, entry, policyVersion);
        }
        if (entry.isEmpty()) {
            return unlisted(request, policy, Reason.DESTINATION_NOT_ALLOWED, entry, policyVersion);
        }
        BreakoutEntry listed = entry.get();
        if (!listed.ports().contains(request.destination().port())) {
            return unlisted(request, policy, Reason.DESTINATION_PORT_NOT_ALLOWED, entry, policyVersion);
        }
        Reason ismap = ismapProblem(listed, policy, now);
        if (ismap != null && policy.ismapMode() == BreakoutPolicy.IsmapMode.ENFORCE) {
            return refused(ismap, entry, policyVersion);
        }
        AllowRule rule = null;
        if (identity != null && !listed.allow().isEmpty()) {
            Reason miss = Reason.USER_NOT_ALLOWED;
            for (AllowRule candidate : listed.allow()) {
                if (candidate.admits(identity) == null) {
                    continue;
                }
                // say the nearest miss: this user, but not from here, or not now
                if (!candidate.where().segmentMatches(request.segment(), request.source())) {
                    miss = Reason.SEGMENT_NOT_ALLOWED;
                    continue;
                }
                if (!candidate.where().timeMatches(now)) {
                    if (miss != Reason.SEGMENT_NOT_ALLOWED) {
                        miss = Reason.TIME_NOT_ALLOWED;
                    }
                    continue;
                }
                rule = candidate;
                break;
            }
            if (rule == null) {
                return refused(miss, entry, policyVersion);
            }
        }
        Optional<String> ruleId = rule == null ? Optional.empty() : Optional.of(rule.id());
        List<PostureFailure> failures = PostureCheck.failures(request.device(), listed.posture(), now);
        if (!failures.isEmpty()) {
            List<Reason> reasons = new ArrayList<>(failures.size());
            for (PostureFailure failure : failures) {
                reasons.add(Reason.of(failure));
            }
            return decided(new Decision(Outcome.DENY, reasons, ruleId, policyVersion), entry);
        }
        if (identity != null) {
            Optional<Reason> shortfall = listed.mfa().shortfall(identity, now);
            if (shortfall.isPresent()) {
                return decided(new Decision(Outcome.STEP_UP, List.of(shortfall.get()), ruleId, policyVersion), entry);
            }
        }
        List<Reason> reasons = ismap == null ? List.of(Reason.BREAKOUT_ALLOWED)
                : List.of(Reason.BREAKOUT_ALLOWED, ismap);
        return decided(new Decision(Outcome.ALLOW, reasons, ruleId, policyVersion), entry);
    }

    /** Not listed (or not on this port): the segment's parent proxy takes it, or it is refused. */
    private static BreakoutDecision unlisted(BreakoutRequest request, BreakoutPolicy policy, Reason refusal,
                                             Optional<BreakoutEntry> entry, String policyVersion) {
        Optional<ParentProxy> parent = policy.parentFor(request.segment());
        if (parent.isPresent()) {
            Decision chained = new Decision(Outcome.ALLOW, List.of(Reason.BREAKOUT_CHAINED), Optional.empty(),
                    policyVersion);
            return new BreakoutDecision(chained, Optional.empty(), parent);
        }
        return refused(refusal, entry, policyVersion);
    }

    /** Why the entry's ISMAP registration does not hold today, or null when it does (or there is none). */
    private static Reason ismapProblem(BreakoutEntry entry, BreakoutPolicy policy, Instant now) {
        if (entry.ismap().isEmpty()) {
            return null;
        }
        IsmapRegistration ismap = entry.ismap().get();
        if (ismap.notYetValidAt(now, policy.zone())) {
            return Reason.ISMAP_NOT_YET_VALID;
        }
        return ismap.expiredAt(now, policy.zone()) ? Reason.ISMAP_EXPIRED : null;
    }

    private static BreakoutDecision refused(Reason reason, Optional<BreakoutEntry> entry, String policyVersion) {
        return decided(Decision.deny(reason, policyVersion), entry);
    }

    private static BreakoutDecision decided(Decision decision, Optional<BreakoutEntry> entry) {
        return new BreakoutDecision(decision, entry, Optional.empty());
    }
}
